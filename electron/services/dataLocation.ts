import { isAbsolute, resolve } from 'node:path';
import type { DataLocation } from '../../shared/api/trainer';
import type { ProjectDocument } from '../../shared/graph';
import { DataError } from './datasets/csv';
import { builtinDataPath } from './paths';

/** Where the trainer reads a document's data; file paths are relative to the project file's folder. */
export function dataLocationFor(
  doc: ProjectDocument,
  options: { baseDir?: string; dbPath?: string } = {},
): DataLocation {
  const spec = doc.data;
  if (!spec) {
    throw new DataError(
      'bad-spec',
      `The project "${doc.name}" has no dataset: choose one in the Data view or set "data" in the file.`,
    );
  }
  const onDisk = (path: string): DataLocation =>
    spec.format === 'images'
      ? {
          kind: 'images',
          path,
          options: {
            ...(spec.imageSize ? { size: spec.imageSize } : {}),
            ...(spec.channels ? { channels: spec.channels } : {}),
            ...(spec.pixelCsv ? { csv: spec.pixelCsv } : {}),
          },
        }
      : { kind: 'csv', path };
  const source = spec.source;
  switch (source.kind) {
    case 'builtin':
      return onDisk(builtinDataPath(source.name));
    case 'file':
      return onDisk(
        isAbsolute(source.path) ? source.path : resolve(options.baseDir ?? process.cwd(), source.path),
      );
    case 'stored': {
      const id = Number(source.id);
      if (!options.dbPath || !Number.isInteger(id)) {
        throw new DataError(
          'bad-spec',
          `The project "${doc.name}" uses a dataset kept in the app's database: open it from the database (nwb train --db) instead of a file.`,
        );
      }
      return { kind: 'stored', dbPath: options.dbPath, datasetId: id };
    }
  }
}
