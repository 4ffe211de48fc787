// Training and inference throughput of the lesson's networks on every tfjs backend available, and in
// PyTorch (Debian's python3-torch) when it is installed, side by side in one run.
//
//   npx tsx bench/run.ts [--json]
//     --backends trainer,tensorflow,wasm,wasm-stock,cpu
//                 (trainer: what nwb train runs; wasm-stock: tfjs's wasm backend without our kernels)
//     --networks housing-b10,housing-b64,wine-b64,cifar-b32
//     --reps 5          timed epochs per engine and network (median reported; warm-up excluded)
//     --seconds 1.5     wanted length of one epoch
//     --torch-threads 2 | --no-torch
//
// Epochs of all engines alternate (wasm, cpu, PyTorch, wasm, cpu, …) so that each ratio compares
// epochs run under the same load.
import { cpus } from 'node:os';
import { startTfjs, startTorch, torchInstalled, PYTHON, type Engine } from './engines';
import { median } from './measure';
import { networkById, networks, type NetworkId } from './networks';
import { BENCH_BACKENDS, type BenchBackend, type BenchReply } from './protocol';

interface Options {
  json: boolean;
  backends: BenchBackend[];
  networks: NetworkId[];
  reps: number;
  seconds: number;
  torchThreads: number;
  torch: boolean;
}

interface Cell {
  engine: string;
  network: NetworkId;
  error?: string;
  /** How the engine ran this network, when it says (the trainer: backend, engine, threads). */
  detail?: string;
  train?: number;
  infer?: number;
  trainRuns: number[];
  inferRuns: number[];
}

function parseArgs(argv: string[]): Options {
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const list = <T extends string>(name: string, all: readonly T[]): T[] => {
    const v = value(name);
    if (!v) return [...all];
    const items = v.split(',').map((s) => s.trim()) as T[];
    for (const item of items)
      if (!all.includes(item)) throw new Error(`${name}: unknown "${item}" (use ${all.join(', ')})`);
    return items;
  };
  return {
    json: argv.includes('--json'),
    backends: list('--backends', BENCH_BACKENDS),
    networks: list(
      '--networks',
      networks.map((n) => n.id),
    ),
    reps: Number(value('--reps') ?? 5),
    seconds: Number(value('--seconds') ?? 1.5),
    torchThreads: Number(value('--torch-threads') ?? 2),
    torch: !argv.includes('--no-torch'),
  };
}

function errorOf(r: BenchReply): string | null {
  return r.ok ? null : r.error;
}

async function measureNetwork(
  id: NetworkId,
  engines: Engine[],
  opts: Options,
  log: (s: string) => void,
): Promise<Cell[]> {
  const cells = engines.map<Cell>((e) => ({ engine: e.name, network: id, trainRuns: [], inferRuns: [] }));
  for (const [i, e] of engines.entries()) {
    const r = await e.request({ cmd: 'prepare', network: id, seconds: opts.seconds, maxSteps: 400 });
    const err = errorOf(r);
    if (err) cells[i]!.error = err;
    else if (r.ok && 'detail' in r && r.detail) cells[i]!.detail = r.detail;
  }
  const live = engines.map((e, i) => ({ e, cell: cells[i]! })).filter((x) => !x.cell.error);
  for (const phase of ['train', 'infer'] as const) {
    for (let rep = 0; rep < opts.reps; rep++) {
      for (const { e, cell } of live) {
        if (cell.error) continue;
        const r = await e.request({ cmd: phase });
        if (!r.ok) cell.error = r.error;
        else if ('samplesPerSec' in r)
          (phase === 'train' ? cell.trainRuns : cell.inferRuns).push(r.samplesPerSec);
      }
      log(`  ${id} ${phase} epoch ${rep + 1}/${opts.reps}`);
    }
  }
  for (const { e } of live) await e.request({ cmd: 'release' });
  for (const c of cells) {
    if (c.trainRuns.length) c.train = median(c.trainRuns);
    if (c.inferRuns.length) c.infer = median(c.inferRuns);
  }
  return cells;
}

function fmt(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '-';
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(3);
}

function ratio(a: number | undefined, b: number | undefined): string {
  return a !== undefined && b !== undefined ? (a / b).toFixed(2) : '-';
}

function printTable(cells: Cell[], engines: Engine[], opts: Options): void {
  const header = [
    'network',
    'batch',
    'backend',
    'train/s',
    'infer/s',
    'torch train/s',
    'torch infer/s',
    'train ratio',
    'infer ratio',
  ];
  const lines: string[][] = [header];
  for (const id of opts.networks) {
    const spec = networkById(id);
    const t = cells.find((c) => c.network === id && c.engine === 'pytorch');
    for (const c of cells.filter((c) => c.network === id && c.engine !== 'pytorch')) {
      if (c.error && c.train === undefined) {
        lines.push([
          spec.label,
          String(spec.batch),
          c.engine,
          `fails: ${c.error.slice(0, 70)}`,
          '',
          fmt(t?.train),
          fmt(t?.infer),
          '',
          '',
        ]);
        continue;
      }
      lines.push([
        spec.label,
        String(spec.batch),
        c.engine,
        fmt(c.train),
        fmt(c.infer),
        fmt(t?.train),
        fmt(t?.infer),
        ratio(c.train, t?.train),
        ratio(c.infer, t?.infer),
      ]);
    }
  }
  const widths = header.map((_, col) =>
    Math.max(...lines.filter((l) => !l[3]!.startsWith('fails')).map((l) => (l[col] ?? '').length)),
  );
  const render = (l: string[]) =>
    l[3]!.startsWith('fails')
      ? [l[0]!.padEnd(widths[0]!), l[1]!.padEnd(widths[1]!), l[2]!.padEnd(widths[2]!), l[3]].join('  ')
      : l.map((cell, col) => (col < 3 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('  ');
  console.log(render(lines[0]!));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines.slice(1)) console.log(render(l));
  console.log('');
  for (const e of engines) console.log(`${e.name}: ${e.ready ? e.detail : `not available (${e.detail})`}`);
  for (const c of cells.filter((c) => c.detail))
    console.log(
      `  ${c.engine} on ${networkById(c.network).label} (batch ${networkById(c.network).batch}): ${c.detail}`,
    );
  console.log(
    `samples/s, median of ${opts.reps} epochs of about ${opts.seconds} s each, epochs of all engines interleaved; ${cpus().length} cores; ratio = ours / PyTorch`,
  );
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const log = (s: string) => {
    if (!opts.json) process.stderr.write(`${s}\n`);
  };
  const engines: Engine[] = [];
  for (const b of opts.backends) engines.push(await startTfjs(b));
  if (opts.torch && torchInstalled()) engines.push(await startTorch(opts.torchThreads));
  else if (opts.torch)
    log(`PyTorch: not installed (apt-get install -y python3-torch provides it at ${PYTHON})`);
  const ready = engines.filter((e) => e.ready);
  const cells: Cell[] = [];
  try {
    for (const id of opts.networks) {
      log(`measuring ${id} on ${ready.map((e) => e.name).join(', ')}`);
      cells.push(...(await measureNetwork(id, ready, opts, log)));
    }
  } finally {
    for (const e of engines) e.close();
  }
  if (opts.json) {
    const engineInfo = engines.map((e) => ({ name: e.name, ready: e.ready, detail: e.detail }));
    console.log(
      JSON.stringify(
        { cores: cpus().length, node: process.version, options: opts, engines: engineInfo, results: cells },
        null,
        2,
      ),
    );
  } else {
    printTable(cells, engines, opts);
  }
}

await main();
