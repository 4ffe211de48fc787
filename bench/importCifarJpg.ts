// Imports all 60,000 JPEGs of ../shared/datasets/cifar10-jpg.tar.gz and prints the time and peak RSS.
// Run: npx tsx bench/importCifarJpg.ts [path-to-archive-or-folder]
import { resolve } from 'node:path';
import { importImageFolder } from '../electron/services/datasets/images/imageFolder';

const source = resolve(process.argv[2] ?? '../shared/datasets/cifar10-jpg.tar.gz');
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
const started = performance.now();
const phaseStarted = new Map<string, number>();
const dataset = await importImageFolder(source, {
  onProgress: ({ phase, done, total }) => {
    if (!phaseStarted.has(phase)) phaseStarted.set(phase, performance.now());
    if (done === total) {
      const seconds = (performance.now() - (phaseStarted.get(phase) ?? started)) / 1000;
      console.log(`  ${phase}: ${seconds.toFixed(1)} s`);
    }
  },
});
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
// maxRSS (kB) is the kernel's own high-water mark, so it also covers moments between two samples.
peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
const mb = (bytes: number): string => `${(bytes / 1024 ** 2).toFixed(0)} MB`;
console.log(`source: ${source}`);
console.log(
  `images: ${dataset.train.count} train + ${dataset.test?.count ?? 0} test, ${dataset.train.width}×${dataset.train.height}×${dataset.train.channels}, ${dataset.classNames.length} classes, ${dataset.skipped.length} skipped`,
);
console.log(`pixel bytes: ${mb(dataset.train.pixels.byteLength + (dataset.test?.pixels.byteLength ?? 0))}`);
console.log(`import time: ${seconds.toFixed(1)} s`);
console.log(`peak RSS: ${mb(peakRss)}`);
