import { DOCUMENT_FORMAT, DOCUMENT_VERSION, projectDocumentSchema, type ProjectDocument } from './document';

/**
 * Upgrades from each earlier format version to the next, keyed by the version they upgrade *from*.
 * Version 1 is the first released format, so there is nothing to upgrade yet; when version 2 comes,
 * add `1: (doc) => ({ ...doc, version: 2, ... })` here and a fixture of a version-1 file to the tests.
 */
const migrations: Record<number, (doc: Record<string, unknown>) => Record<string, unknown>> = {};

export type ParseResult = { ok: true; document: ProjectDocument } | { ok: false; message: string };

/** Reads a project document from untrusted JSON: checks format and version, migrates, validates. */
export function parseProjectDocument(json: unknown): ParseResult {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, message: 'This is not a Neural Workbench project: expected a JSON object.' };
  }
  let doc = json as Record<string, unknown>;
  if (doc.format !== DOCUMENT_FORMAT) {
    return {
      ok: false,
      message: `This is not a Neural Workbench project: its "format" is not "${DOCUMENT_FORMAT}".`,
    };
  }
  if (typeof doc.version !== 'number' || !Number.isInteger(doc.version) || doc.version < 1) {
    return {
      ok: false,
      message:
        'This project file has no valid format version: it may be damaged, so open a copy saved by Neural Workbench.',
    };
  }
  if (doc.version > DOCUMENT_VERSION) {
    return {
      ok: false,
      message: `This project was saved by a newer Neural Workbench (format version ${doc.version}; this app reads up to ${DOCUMENT_VERSION}): update the app to open it.`,
    };
  }
  while ((doc.version as number) < DOCUMENT_VERSION) {
    const step = migrations[doc.version as number];
    if (!step)
      return {
        ok: false,
        message: `No upgrade is known from project format version ${String(doc.version)}.`,
      };
    doc = step(doc);
  }
  const parsed = projectDocumentSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    return { ok: false, message: `This project file is damaged${where}: ${issue?.message ?? 'invalid'}.` };
  }
  return { ok: true, document: parsed.data };
}
