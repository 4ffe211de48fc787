/**
 * An import failed because of the user's input (a truncated file, a folder with one class, …).
 * Its message is one sentence meant for the user: what is wrong and what to do.
 */
export class ImageImportError extends Error {
  override readonly name = 'ImageImportError';
}
