import { z } from 'zod';
import { activationBlock } from './activation';

export const softmaxBlock = activationBlock({
  kind: 'softmax',
  label: 'Softmax',
  help: 'Turns scores into probabilities that add up to 1; used last when choosing one class of many.',
  schema: z.object({}),
  fields: [],
  layer: (_p, name) => ({ className: 'Softmax', config: { name, axis: -1 } }),
});
