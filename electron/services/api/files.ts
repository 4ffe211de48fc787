/** Bytes sent by the renderer as base64 (the contract stays JSON on every transport). */
export function fileBytes(file: { base64: string }): Uint8Array {
  const buffer = Buffer.from(file.base64, 'base64');
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** The file's own name: whatever folders a browser put in front of it are dropped. */
export function baseFileName(fileName: string): string {
  const name = fileName.split(/[\\/]/).pop() ?? '';
  return name.trim() === '' ? 'data.csv' : name.trim();
}

/** The name without its last extension: `wine.csv` -> `wine`. */
export function stem(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(0, dot) : fileName;
}

/** A project name made safe as a file name on every OS, with the `.nwb` extension. */
export function exportFileName(projectName: string): string {
  const safe = projectName
    // eslint-disable-next-line no-control-regex
    .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '-')
    .replace(/^[\s.]+|[\s.]+$/g, '')
    .slice(0, 120);
  return `${safe === '' ? 'project' : safe}.nwb`;
}
