import type { DataLocation } from '../../shared/api/trainer';
import type { Task } from '../../shared/data/types';
import type { ProjectDocument } from '../../shared/graph';
import { readCsvFile, DataError } from '../services/datasets/csv';
import { prepareTabular } from '../services/datasets/prepareTabular';
import type { TrainingData } from './trainingData';

/** The task the document's Output block asks for (regression when it has none yet). */
export function documentTask(doc: ProjectDocument): Task {
  const output = doc.graph.nodes.find((n) => n.kind === 'output');
  const task = output?.params.task;
  return task === 'binary' || task === 'multiclass' ? task : 'regression';
}

/** Loads and prepares the data a run trains on, following the document's data settings. */
export async function loadTrainingData(doc: ProjectDocument, location: DataLocation): Promise<TrainingData> {
  const spec = doc.data;
  if (!spec)
    throw new DataError('bad-spec', 'This project has no dataset: choose one in the Data view first.');
  switch (location.kind) {
    case 'csv': {
      const table = await readCsvFile(location.path);
      if (!spec.target)
        throw new DataError('no-target', 'Choose the column to predict (the target) in the Data view.');
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
    case 'stored':
    case 'images':
      throw new DataError('bad-spec', `Training from ${location.kind} data is not available in this build.`);
  }
}
