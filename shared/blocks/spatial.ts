import { z } from 'zod';

export const paddingSchema = z.union([z.enum(['same', 'valid']), z.number().int().min(0).max(16)]);
export type Padding = z.infer<typeof paddingSchema>;

/** Output length along one axis, as PyTorch computes it for numbers and tfjs for `same`/`valid`. */
export function spatialOutput(
  size: number,
  kernel: number,
  stride: number,
  padding: Padding,
  dilation = 1,
): number {
  if (padding === 'same') return Math.ceil(size / stride);
  const pad = padding === 'valid' ? 0 : padding;
  return Math.floor((size + 2 * pad - dilation * (kernel - 1) - 1) / stride) + 1;
}
