// Files cross the API as base64 (the contract stays JSON): the encoding and the browser-side read.

const CHUNK = 0x8000;

/** Base64 of bytes, in chunks so that large files do not overflow the call stack. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

/** Largest CSV the app imports (the host refuses more). */
export const MAX_IMPORT_BYTES = 256 * 1024 * 1024;

/** Why a file cannot be imported before reading it, or null. */
export function importBlocker(file: { name: string; size: number }): string | null {
  if (file.size === 0) return `The file ${file.name} is empty: choose a CSV file with a header row and data rows.`;
  if (file.size > MAX_IMPORT_BYTES) {
    return `The file ${file.name} is ${Math.round(file.size / 1024 / 1024)} MB, more than the 256 MB the app imports: use a smaller file.`;
  }
  if (!/\.(csv|tsv|txt)$/i.test(file.name)) {
    return `The file ${file.name} is not a CSV file: choose a .csv (or .tsv, .txt) table.`;
  }
  return null;
}

/** Reads a file as bytes, reporting the share read so far (0..1). */
export function readFileBytes(file: Blob, onProgress: (fraction: number) => void): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    reader.onerror = () => reject(new Error('The file could not be read: check that it still exists and try again.'));
    reader.onload = () => {
      onProgress(1);
      resolve(new Uint8Array(reader.result as ArrayBuffer));
    };
    reader.readAsArrayBuffer(file);
  });
}
