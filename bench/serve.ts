// One tfjs backend, measuring networks on request from bench/run.ts (forked with an IPC channel).
// Usage: serve.ts <backend>   (see protocol.ts)
import type { BenchBackend, BenchReply, BenchRequest } from './protocol';
import { NetworkSession } from './measure';
import { networkById } from './networks';
import { TrainerSession } from './trainerSession';

const backend = process.argv[2] as BenchBackend;

function reply(r: BenchReply): void {
  process.send!(r);
}

function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}

async function start(): Promise<string> {
  const { tf } = await import('../electron/trainer/tf');
  if (backend === 'trainer') return 'the trainer: auto backend, its engine and threads per network';
  if (backend === 'wasm-stock') {
    await import('@tensorflow/tfjs-backend-wasm');
    if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not start');
    return 'tfjs-backend-wasm 4.22 as shipped';
  }
  const { initBackend } = await import('../electron/trainer/backends/setup');
  const sel = await initBackend(backend);
  return `${sel.name}: ${sel.reason}`;
}

let session: NetworkSession | TrainerSession | null = null;

async function handle(req: BenchRequest): Promise<BenchReply> {
  switch (req.cmd) {
    case 'prepare': {
      session?.dispose();
      const spec = networkById(req.network);
      const s = backend === 'trainer' ? new TrainerSession(spec) : new NetworkSession(spec);
      session = s;
      const steps = await s.prepare({ seconds: req.seconds, maxSteps: req.maxSteps });
      return { ok: true, ...steps, ...(s instanceof TrainerSession ? { detail: s.detail } : {}) };
    }
    case 'train':
      return { ok: true, samplesPerSec: await session!.trainEpoch() };
    case 'infer':
      return { ok: true, samplesPerSec: await session!.inferEpoch() };
    case 'release':
      session?.dispose();
      session = null;
      return { ok: true, released: true };
  }
}

try {
  reply({ ok: true, ready: true, detail: await start() });
} catch (error) {
  reply({ ok: false, error: message(error) });
  process.exit(0);
}

let queue = Promise.resolve();
process.on('message', (req: BenchRequest) => {
  queue = queue.then(async () => {
    try {
      reply(await handle(req));
    } catch (error) {
      reply({ ok: false, error: message(error) });
    }
  });
});
process.on('disconnect', () => process.exit(0));
