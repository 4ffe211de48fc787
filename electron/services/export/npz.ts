import { zipSync } from 'fflate';

/** A named array for NumPy: float32 values, or int64 for counters. */
export interface NamedArray {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** One .npy file (format 1.0): magic, header dict padded to 64 bytes, little-endian float32 data. */
export function npyBytes(array: NamedArray): Uint8Array {
  const shape = array.shape.length === 1 ? `(${array.shape[0]},)` : `(${array.shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shape}, }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + array.data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  out[8] = header.length & 0xff;
  out[9] = header.length >> 8;
  out.set(new TextEncoder().encode(header), 10);
  const values = new DataView(out.buffer, 10 + header.length);
  array.data.forEach((v, i) => values.setFloat32(i * 4, v, true));
  return out;
}

/** A .npz archive (what numpy.load reads): one stored (uncompressed) .npy per array. */
export function npzBytes(arrays: readonly NamedArray[]): Uint8Array {
  const files: Record<string, [Uint8Array, { level: 0 }]> = {};
  for (const a of arrays) files[`${a.name}.npy`] = [npyBytes(a), { level: 0 }];
  return zipSync(files);
}

export const WEIGHTS_FORMAT = 'neural-workbench/weights';

/** The same arrays as JSON, for people and tools without NumPy. */
export function weightsJson(arrays: readonly NamedArray[], layout: 'pytorch' | 'keras'): string {
  return JSON.stringify({
    format: WEIGHTS_FORMAT,
    version: 1,
    layout,
    tensors: Object.fromEntries(arrays.map((a) => [a.name, { shape: a.shape, data: Array.from(a.data) }])),
  });
}
