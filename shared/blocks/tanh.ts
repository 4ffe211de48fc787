import { z } from 'zod';
import { activationBlock } from './activation';

export const tanhBlock = activationBlock({
  kind: 'tanh',
  label: 'Tanh',
  help: 'Squeezes any value into −1…1.',
  schema: z.object({}),
  fields: [],
  layer: (_p, name) => ({ className: 'Activation', config: { name, activation: 'tanh' } }),
});
