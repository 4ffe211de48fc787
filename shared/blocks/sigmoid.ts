import { z } from 'zod';
import { activationBlock } from './activation';

export const sigmoidBlock = activationBlock({
  kind: 'sigmoid',
  label: 'Sigmoid',
  help: 'Squeezes any value into 0…1; used last for a yes/no (binary) prediction.',
  schema: z.object({}),
  fields: [],
  layer: (_p, name) => ({ className: 'Activation', config: { name, activation: 'sigmoid' } }),
});
