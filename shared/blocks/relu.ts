import { z } from 'zod';
import { activationBlock } from './activation';

export const reluBlock = activationBlock({
  kind: 'relu',
  label: 'ReLU',
  help: 'Keeps positive values and turns negative ones into zero: max(0, x).',
  schema: z.object({}),
  fields: [],
  layer: (_p, name) => ({ className: 'ReLU', config: { name } }),
});
