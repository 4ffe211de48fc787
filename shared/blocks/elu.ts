import { z } from 'zod';
import { activationBlock } from './activation';

export const eluBlock = activationBlock({
  kind: 'elu',
  label: 'ELU',
  help: 'Like ReLU, but negative values curve smoothly towards −alpha.',
  schema: z.object({ alpha: z.number().gt(0).max(10).default(1) }),
  fields: [{ key: 'alpha', label: 'Alpha', kind: 'number', min: 0.01, max: 10, step: 0.1 }],
  layer: (p, name) => ({ className: 'ELU', config: { name, alpha: p.alpha } }),
  summary: (p) => `alpha ${p.alpha}`,
});
