import type { DataLocation } from '../../shared/api/trainer';
import type { Task } from '../../shared/data/types';
import type { ProjectDocument } from '../../shared/graph';
import { DataError, decodeText, parseCsv, readCsvFile, type ParsedTable } from '../services/datasets/csv';
import { importImageDataset } from '../services/datasets/images';
import { openStorageReadOnly } from '../services/storage';
import { imageTrainingData } from './imageData';
import { prepareTabular } from '../services/datasets/prepareTabular';
import type { TrainingData } from './trainingData';

/** The task the document's Output block asks for (regression when it has none yet). */
export function documentTask(doc: ProjectDocument): Task {
  const output = doc.graph.nodes.find((n) => n.kind === 'output');
  const task = output?.params.task;
  return task === 'binary' || task === 'multiclass' ? task : 'regression';
}

function tabularData(doc: ProjectDocument, table: ParsedTable): TrainingData {
  const spec = doc.data!;
  if (!spec.target)
    throw new DataError('bad-spec', 'Choose the column to predict (the target) in the Data view.');
  const prepared = prepareTabular(table, {
    target: spec.target,
    ...(spec.features ? { features: spec.features } : {}),
    ignored: spec.ignored,
    task: documentTask(doc),
    testFraction: spec.testFraction,
    splitSeed: spec.splitSeed,
    standardize: spec.standardize,
  });
  return {
    task: prepared.task,
    inputShape: [...prepared.inputShape],
    classNames: prepared.classNames,
    trainCount: prepared.train.count,
    train: prepared.train,
    test: prepared.test,
    preprocessing: {
      kind: 'tabular',
      featureNames: prepared.featureNames,
      targetName: prepared.targetName,
      standardization: prepared.standardization,
      classNames: prepared.classNames,
      task: prepared.task,
    },
  };
}

/** Loads and prepares the data a run trains on, following the document's data settings. */
export async function loadTrainingData(doc: ProjectDocument, location: DataLocation): Promise<TrainingData> {
  const spec = doc.data;
  if (!spec)
    throw new DataError('bad-spec', 'This project has no dataset: choose one in the Data view first.');
  switch (location.kind) {
    case 'csv':
      return tabularData(doc, await readCsvFile(location.path));
    case 'images': {
      const { dataset } = await importImageDataset(location.path, location.options);
      return imageTrainingData(dataset, spec, doc.training.seed);
    }
    case 'stored': {
      // Read-only: main is the only writer of the database, even while this process reads it.
      const storage = openStorageReadOnly(location.dbPath);
      try {
        const payload = storage.getDatasetPayload(location.datasetId);
        if (!payload)
          throw new DataError(
            'bad-spec',
            `The dataset this project uses (id ${location.datasetId}) is no longer in the database: choose another in the Data view.`,
          );
        switch (payload.kind) {
          case 'tabular':
            return tabularData(doc, parseCsv(decodeText(payload.bytes)));
          case 'image':
            return imageTrainingData(payload.dataset, spec, doc.training.seed);
        }
      } finally {
        storage.close();
      }
    }
  }
}
