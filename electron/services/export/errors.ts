/** An export or prediction that cannot be done as asked; the message is one sentence for the user. */
export class ExportError extends Error {
  override readonly name = 'ExportError';
}
