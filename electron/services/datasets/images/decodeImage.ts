import { decode as decodeJpegBytes } from 'jpeg-js';
import { PNG } from 'pngjs';
import { messageOf } from '../../../../shared/api/errorMessage';

/** A decoded picture, interleaved 8-bit channels: 1 (grey) or 3 (RGB). */
export interface DecodedImage {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Uint8Array;
}

/** Thrown for a file that cannot be decoded; the caller skips it and lists the reason. */
export class UnreadableImageError extends Error {
  override readonly name = 'UnreadableImageError';
}

/** Decodes a JPEG or PNG (recognised by its first bytes, not its name); alpha is dropped. */
export function decodeImage(bytes: Uint8Array): DecodedImage {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return decodeJpeg(bytes);
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47)
    return decodePng(bytes);
  throw new UnreadableImageError('not a JPEG or PNG image');
}

function decodeJpeg(bytes: Uint8Array): DecodedImage {
  let decoded: { width: number; height: number; data: Uint8Array };
  try {
    decoded = decodeJpegBytes(bytes, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 1024 });
  } catch (error) {
    throw new UnreadableImageError(`damaged JPEG (${messageOf(error)})`);
  }
  const { width, height, data } = decoded;
  if (width === 0 || height === 0) throw new UnreadableImageError('damaged JPEG (no pixels)');
  // jpeg-js always hands back RGB; a one-component JPEG is grey, so keep one channel of it.
  if (jpegComponents(bytes) !== 1) return { width, height, channels: 3, data };
  const grey = new Uint8Array(width * height);
  for (let i = 0; i < grey.length; i++) grey[i] = data[i * 3] ?? 0;
  return { width, height, channels: 1, data: grey };
}

function decodePng(bytes: Uint8Array): DecodedImage {
  let png: { width: number; height: number; data: Buffer; colorType: number };
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    throw new UnreadableImageError(`damaged PNG (${messageOf(error)})`);
  }
  const { width, height, data } = png;
  if (width === 0 || height === 0) throw new UnreadableImageError('damaged PNG (no pixels)');
  // pngjs always hands back 8-bit RGBA; colour types 0 and 4 are grey (without and with alpha).
  const channels = png.colorType === 0 || png.colorType === 4 ? 1 : 3;
  const out = new Uint8Array(width * height * channels);
  for (let p = 0, o = 0; p < width * height; p++) {
    for (let c = 0; c < channels; c++) out[o++] = data[p * 4 + c] ?? 0;
  }
  return { width, height, channels, data: out };
}

/** The number of colour components in a JPEG's start-of-frame header (0 when none is found). */
function jpegComponents(bytes: Uint8Array): number {
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) return 0;
    const marker = bytes[at + 1] ?? 0;
    if (marker === 0xff) {
      at++;
      continue;
    }
    const length = ((bytes[at + 2] ?? 0) << 8) | (bytes[at + 3] ?? 0);
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame's component count.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return bytes[at + 9] ?? 0;
    }
    at += 2 + length;
  }
  return 0;
}
