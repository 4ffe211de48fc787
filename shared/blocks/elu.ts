import { z } from 'zod';
import { activationBlock } from './activation';

// alpha is fixed at PyTorch's default of 1: TensorFlow.js's ELU layer supports no other value.
export const eluBlock = activationBlock({
  kind: 'elu',
  label: 'ELU',
  help: 'Like ReLU, but negative values curve smoothly towards −1 instead of stopping at 0.',
  schema: z.object({}),
  fields: [],
  layer: (_p, name) => ({ className: 'ELU', config: { name, alpha: 1 } }),
});
