// How long listing runs takes with 10,000 runs of 20 epochs each: npx tsx bench/listRuns.ts [RUNS] [EPOCHS]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { openStorage } from '../electron/services/storage';
import { optimizerKinds } from '../shared/graph/document';
import { parseProjectDocument } from '../shared/graph/migrations';
import type { TestMetrics } from '../shared/metrics/types';

const runCount = Number(process.argv[2] ?? 10_000);
const epochCount = Number(process.argv[3] ?? 20);
const projectCount = 10;
const repeats = 7;

const preset = fileURLToPath(new URL('../resources/presets/wine-type-ann.json', import.meta.url));
const parsed = parseProjectDocument(JSON.parse(readFileSync(preset, 'utf8')));
if (!parsed.ok) throw new Error(parsed.message);
const base = parsed.document;

// A realistic result: confusion matrix, report and a 200-point ROC curve.
const row = { precision: 0.97, recall: 0.96, f1: 0.965, support: 650 };
const points = Array.from({ length: 200 }, (_, i) => i / 199);
const test: TestMetrics = {
  task: 'binary',
  accuracy: 0.97,
  confusion_matrix: [
    [310, 10],
    [9, 971],
  ],
  report: {
    classes: [
      { name: 'red', ...row },
      { name: 'white', ...row },
    ],
    accuracy: 0.97,
    macro_avg: row,
    weighted_avg: row,
  },
  auc: 0.99,
  roc: { fpr: points, tpr: points.map((p) => Math.sqrt(p)), thresholds: points.map((p) => 1 - p) },
  per_class_accuracy: [0.97, 0.99],
};

const dir = mkdtempSync(join(tmpdir(), 'nwb-bench-'));
const storage = openStorage(join(dir, 'bench.db'));
const projects = Array.from({ length: projectCount }, (_, i) =>
  storage.createProject(base, { name: `Project ${i + 1}` }),
);

const insertStart = performance.now();
const batch = 200;
for (let start = 0; start < runCount; start += batch) {
  // Batched into transactions so the setup takes seconds; the app writes each epoch on its own.
  storage.transaction(() => {
    for (let i = start; i < Math.min(start + batch, runCount); i++) {
      const project = projects[i % projectCount]!;
      const optimizer = optimizerKinds[i % optimizerKinds.length]!;
      const document = {
        ...base,
        training: { ...base.training, optimizer, learningRate: 0.001 * (1 + (i % 5)), epochs: epochCount },
      };
      const run = storage.createRun({ projectId: project.id, document, status: 'running' });
      storage.startRun(run.id, { backend: 'cpu', params: 897 });
      for (let epoch = 1; epoch <= epochCount; epoch++) {
        const loss = 1 / epoch + (i % 7) / 100;
        storage.addEpoch(run.id, {
          epoch,
          metrics: { loss, accuracy: 1 - loss / 2, val_loss: loss * 1.1, val_accuracy: 1 - loss / 1.8 },
          learningRate: 0.001,
          seconds: 0.4,
        });
      }
      if (i % 10 === 9) storage.failRun(run.id, { message: 'The loss became NaN: lower the learning rate.' });
      else
        storage.finishRun(run.id, {
          status: 'completed',
          test,
          bestEpoch: epochCount,
          backend: 'cpu',
          params: 897,
        });
    }
  });
}
const insertMs = performance.now() - insertStart;

function time(label: string, fn: () => { length: number }): void {
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    rows = fn().length;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  process.stdout.write(
    `${label.padEnd(34)} ${String(rows).padStart(6)} rows  median ${median.toFixed(2)} ms  (min ${times[0]!.toFixed(2)}, max ${times.at(-1)!.toFixed(2)})\n`,
  );
}

process.stdout.write(
  `${runCount} runs × ${epochCount} epochs in ${projectCount} projects, inserted in ${(insertMs / 1000).toFixed(1)} s\n`,
);
time('listRuns() all', () => storage.listRuns());
time('listRuns({ projectId })', () => storage.listRuns({ projectId: projects[3]!.id }));
time('listRuns({ limit: 50 }) first page', () => storage.listRuns({ limit: 50 }));
time('listRuns({ limit: 50, offset: 5000 })', () => storage.listRuns({ limit: 50, offset: 5000 }));
time('listProjects()', () => storage.listProjects());
time('getRunEpochs(one run)', () => storage.getRunEpochs(runCount / 2));
storage.close();
rmSync(dir, { recursive: true, force: true });
