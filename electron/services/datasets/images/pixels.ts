import type { ImageSet } from '../../../../shared/data/types';
import type { DecodedImage } from './decodeImage';

/**
 * Writes `image` into `target` at `offset` as `width`×`height`×`channels` bytes: converting grey <-> RGB
 * (ITU-R 601 luma, as PIL's "L" mode) and resizing bilinearly with half-pixel centres when sizes differ.
 */
export function writeImageInto(
  image: DecodedImage,
  target: Uint8Array,
  offset: number,
  width: number,
  height: number,
  channels: 1 | 3,
): void {
  const source = image.channels === channels ? image.data : convertChannels(image, channels);
  if (image.width === width && image.height === height) {
    target.set(source, offset);
    return;
  }
  resizeBilinear(source, image.width, image.height, channels, target, offset, width, height);
}

function convertChannels(image: DecodedImage, channels: 1 | 3): Uint8Array {
  const pixels = image.width * image.height;
  const out = new Uint8Array(pixels * channels);
  const data = image.data;
  if (channels === 3) {
    for (let p = 0; p < pixels; p++) {
      const v = data[p] ?? 0;
      out[p * 3] = v;
      out[p * 3 + 1] = v;
      out[p * 3 + 2] = v;
    }
  } else {
    for (let p = 0; p < pixels; p++) {
      const r = data[p * 3] ?? 0;
      const g = data[p * 3 + 1] ?? 0;
      const b = data[p * 3 + 2] ?? 0;
      out[p] = Math.round((r * 299 + g * 587 + b * 114) / 1000);
    }
  }
  return out;
}

/** Bilinear resampling of interleaved bytes, sampling at pixel centres (no corner alignment). */
export function resizeBilinear(
  source: Uint8Array,
  sourceWidth: number,
  sourceHeight: number,
  channels: number,
  target: Uint8Array,
  offset: number,
  width: number,
  height: number,
): void {
  const scaleX = sourceWidth / width;
  const scaleY = sourceHeight / height;
  for (let y = 0; y < height; y++) {
    const sy = Math.min(Math.max((y + 0.5) * scaleY - 0.5, 0), sourceHeight - 1);
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, sourceHeight - 1);
    const fy = sy - y0;
    for (let x = 0; x < width; x++) {
      const sx = Math.min(Math.max((x + 0.5) * scaleX - 0.5, 0), sourceWidth - 1);
      const x0 = Math.floor(sx);
      const x1 = Math.min(x0 + 1, sourceWidth - 1);
      const fx = sx - x0;
      const a = (y0 * sourceWidth + x0) * channels;
      const b = (y0 * sourceWidth + x1) * channels;
      const c = (y1 * sourceWidth + x0) * channels;
      const d = (y1 * sourceWidth + x1) * channels;
      const o = offset + (y * width + x) * channels;
      for (let k = 0; k < channels; k++) {
        const top = (source[a + k] ?? 0) * (1 - fx) + (source[b + k] ?? 0) * fx;
        const bottom = (source[c + k] ?? 0) * (1 - fx) + (source[d + k] ?? 0) * fx;
        target[o + k] = Math.round(top * (1 - fy) + bottom * fy);
      }
    }
  }
}

/** A copy of `set` at another size and/or channel count (the same set when nothing changes). */
export function reshapeSet(
  set: ImageSet,
  size: { width: number; height: number } | undefined,
  channels: 1 | 3 | undefined,
): ImageSet {
  const width = size?.width ?? set.width;
  const height = size?.height ?? set.height;
  const targetChannels = channels ?? (set.channels === 1 ? 1 : 3);
  if (width === set.width && height === set.height && targetChannels === set.channels) return set;
  const sourceStride = set.width * set.height * set.channels;
  const stride = width * height * targetChannels;
  const pixels = new Uint8Array(set.count * stride);
  for (let i = 0; i < set.count; i++) {
    const image: DecodedImage = {
      width: set.width,
      height: set.height,
      channels: set.channels === 1 ? 1 : 3,
      data: set.pixels.subarray(i * sourceStride, (i + 1) * sourceStride),
    };
    writeImageInto(image, pixels, i * stride, width, height, targetChannels);
  }
  return { width, height, channels: targetChannels, count: set.count, pixels, labels: set.labels };
}
