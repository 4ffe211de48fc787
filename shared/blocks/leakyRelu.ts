import { z } from 'zod';
import { activationBlock } from './activation';

export const leakyReluBlock = activationBlock({
  kind: 'leakyrelu',
  label: 'LeakyReLU',
  help: 'Like ReLU, but negative values are scaled by a small slope instead of becoming zero.',
  schema: z.object({ slope: z.number().min(0).max(1).default(0.01) }),
  fields: [
    {
      key: 'slope',
      label: 'Negative slope',
      kind: 'number',
      min: 0,
      max: 1,
      step: 0.01,
      help: 'PyTorch default 0.01.',
    },
  ],
  layer: (p, name) => ({ className: 'LeakyReLU', config: { name, alpha: p.slope } }),
  summary: (p) => `slope ${p.slope}`,
});
