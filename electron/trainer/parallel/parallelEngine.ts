// Data-parallel training on several threads. The tfjs wasm and cpu backends compute on one core; here
// each extra core runs a replica of the network in a worker thread. A batch is cut into shares, every
// thread computes the gradient of its share, the trainer thread sums them (weighted by share size, so
// the sum is the whole batch's mean gradient) and every thread applies that same sum with its own copy
// of the optimiser. The arithmetic is deterministic, so the copies stay bit-identical without sending
// weights back and forth; only the gradients cross, through shared memory.
import { MessageChannel, Worker } from 'node:worker_threads';
import type { BackendName } from '../../../shared/api/trainer';
import type { BatchResult, Engine, EngineSpec } from '../engines/engine';
import { createLayersEngine, type LayersEngine } from '../engines/layersEngine';
import { Control, type ReplicaCommand, type ReplicaReply, type ReplicaSetup } from './protocol';
import { LeaderPort } from './syncPort';

export interface ParallelOptions {
  /** Threads in all, the trainer's own included (2 or more). */
  threads: number;
  backend: BackendName;
  seed: number;
  /** The bundled replica script (dist-electron/trainerReplica.cjs). */
  replicaEntry: string;
}

interface Replica {
  worker: Worker;
  port: LeaderPort<ReplicaCommand, ReplicaReply>;
  gradient: Float32Array;
}

/** How long a replica may take to start its backend and build its network. */
const START_TIMEOUT_MS = 120_000;

/** Cuts `size` samples into `parts` contiguous shares as equal as can be: [offset, count] pairs. */
export function shares(size: number, parts: number): [number, number][] {
  const out: [number, number][] = [];
  let offset = 0;
  for (let k = 0; k < parts; k++) {
    const count = Math.floor(size / parts) + (k < size % parts ? 1 : 0);
    out.push([offset, count]);
    offset += count;
  }
  return out;
}

/** The last reply, after throwing on any error among them. */
function check(replies: ReplicaReply[]): ReplicaReply | undefined {
  for (const r of replies) if (r.type === 'error') throw new Error(`A training thread failed: ${r.message}`);
  return replies[replies.length - 1];
}

/** A growable Float32Array on shared memory, for data every replica reads. */
class SharedFloats {
  private view = new Float32Array(new SharedArrayBuffer(4));
  /** A view of `length` floats holding `source` (from `from`), reallocated when too small. */
  fill(source: Float32Array, from: number, length: number): Float32Array {
    if (this.view.length < length) this.view = new Float32Array(new SharedArrayBuffer(length * 4));
    const v = this.view.subarray(0, length);
    v.set(source.subarray(from, from + length));
    return v;
  }
}

async function startReplica(
  spec: EngineSpec,
  opts: ParallelOptions,
  index: number,
  size: number,
  reduced: SharedArrayBuffer,
): Promise<Replica> {
  const control = new SharedArrayBuffer(Control.size * 4);
  const gradient = new SharedArrayBuffer(size * 4);
  const { port1, port2 } = new MessageChannel();
  const setup: ReplicaSetup = {
    net: spec.net,
    settings: spec.settings,
    backend: opts.backend,
    seed: (opts.seed + 0x9e3779b9 * index) >>> 0,
    control,
    gradient,
    reduced,
  };
  const worker = new Worker(opts.replicaEntry, {
    workerData: { setup, port: port2 },
    transferList: [port2],
    // No inherited flags (a TypeScript loader, --inspect): the bundle is plain CommonJS.
    execArgv: [],
    // A replica's own console output (tfjs banners) would interleave with the trainer's protocol.
    stdout: true,
    stderr: true,
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('it did not start in time')), START_TIMEOUT_MS);
    worker.once('message', (m: { type: string; message?: string }) => {
      clearTimeout(timer);
      if (m.type === 'ready') resolve();
      else reject(new Error(m.message ?? 'it could not start'));
    });
    worker.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    worker.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`it exited with code ${code}`));
    });
  });
  worker.removeAllListeners();
  // Past start-up the replica is only reached through the synchronous port.
  worker.on('error', () => undefined);
  return { worker, port: new LeaderPort(port1, control), gradient: new Float32Array(gradient) };
}

/**
 * The layers engine spread over `threads` threads. Rejects when a replica cannot start (the caller
 * then trains on one thread and says why).
 */
export async function createParallelEngine(spec: EngineSpec, opts: ParallelOptions): Promise<Engine> {
  const leader: LayersEngine = createLayersEngine(spec);
  const size = leader.trainableSize;
  const reducedBuffer = new SharedArrayBuffer(size * 4);
  const reduced = new Float32Array(reducedBuffer);
  const mine = new Float32Array(size);
  const replicas: Replica[] = [];
  try {
    for (let k = 1; k < opts.threads; k++)
      replicas.push(await startReplica(spec, opts, k, size, reducedBuffer));
  } catch (error) {
    for (const r of replicas) void r.worker.terminate();
    leader.dispose();
    throw error;
  }
  const all = (command: ReplicaCommand): void => replicas.forEach((r) => r.port.post(command));
  const samplesX = new SharedFloats();
  const samplesY = new SharedFloats();
  const evalX = new SharedFloats();
  const evalY = new SharedFloats();
  let loaded = 0;
  // The replicas take the trainer's weights before their first step and after any restore.
  let inSync = false;

  const sync = (): void => {
    all({ type: 'setWeights', weights: leader.snapshot() });
    for (const r of replicas) check(r.port.drain());
    inSync = true;
  };

  return {
    name: 'parallel',
    label: `tfjs layers on ${opts.threads} threads (data-parallel)`,
    loadSamples(x, y, count) {
      // The shared sample buffers are rewritten below: first let every replica finish with them.
      for (const r of replicas) check(r.port.drain());
      leader.loadSamples(x, y, count);
      const width = x.length / count;
      all({
        type: 'load',
        x: samplesX.fill(x, 0, count * width),
        y: samplesY.fill(y, 0, y.length),
        count,
      });
      loaded = count;
    },
    trainBatch(start, size): BatchResult {
      if (start + size > loaded) throw new Error('The batch runs past the loaded samples.');
      if (!inSync) sync();
      const parts = shares(size, replicas.length + 1);
      replicas.forEach((r, k) => {
        const [offset, count] = parts[k + 1]!;
        // Unscaled: the weighted sum below scales every share in the one pass it makes anyway.
        if (count > 0) r.port.post({ type: 'gradients', start: start + offset, size: count, scale: 1 });
      });
      const [, own] = parts[0]!;
      const first = leader.gradients(start, own, 1, mine);
      let loss = first.loss * (own / size);
      let metric = first.metric * (own / size);
      // Each replica's replies end with this step's gradient, and before it its last 'apply': once all
      // are in, no replica reads `reduced`, and it may be rewritten.
      const replies = replicas.map((r) => r.port.drain());
      const weight = own / size;
      for (let i = 0; i < mine.length; i++) reduced[i] = mine[i]! * weight;
      replicas.forEach((r, k) => {
        check(replies[k]!);
        const count = parts[k + 1]![1];
        if (count === 0) return; // no share this batch: it still applies the step, to stay the same
        const reply = replies[k]![replies[k]!.length - 1];
        if (reply?.type !== 'batch') throw new Error('A training thread answered out of turn.');
        const w = count / size;
        loss += reply.loss * w;
        metric += reply.metric * w;
        const g = r.gradient;
        for (let i = 0; i < g.length; i++) reduced[i]! += g[i]! * w;
      });
      // The loss reported is the one the weights had, as on one thread: L2 before the step.
      loss += leader.penalty();
      all({ type: 'apply' });
      leader.applyGradients(reduced);
      return { loss, metric };
    },
    releaseSamples() {
      leader.releaseSamples();
      all({ type: 'release' });
      loaded = 0;
    },
    evaluate(x, y, count) {
      // The test set is shared out too: each thread predicts its part, the trainer joins the outputs.
      const width = x.length / count;
      const yWidth = y.length / count;
      const parts = shares(count, replicas.length + 1);
      const own = parts[0]![1];
      // One shared copy of the replicas' part; each replica reads its own range of it.
      const xs = evalX.fill(x, own * width, (count - own) * width);
      const ys = evalY.fill(y, own * yWidth, (count - own) * yWidth);
      replicas.forEach((r, k) => {
        const [offset, n] = parts[k + 1]!;
        if (n === 0) return;
        const from = offset - own;
        r.port.post({
          type: 'evaluate',
          x: xs.subarray(from * width, (from + n) * width),
          y: ys.subarray(from * yWidth, (from + n) * yWidth),
          count: n,
        });
      });
      const first = leader.evaluate(x.subarray(0, own * width), y.subarray(0, own * yWidth), own);
      const outputs: Float32Array[] = [first.outputs];
      let loss = first.loss * (own / count);
      let metric = first.metric * (own / count);
      replicas.forEach((r, k) => {
        const n = parts[k + 1]![1];
        if (n === 0) return;
        const reply = check(r.port.drain());
        if (reply?.type !== 'evaluated') throw new Error('A training thread answered out of turn.');
        loss += reply.loss * (n / count);
        metric += reply.metric * (n / count);
        outputs.push(reply.outputs);
      });
      const joined = new Float32Array(outputs.reduce((n, o) => n + o.length, 0));
      let at = 0;
      for (const o of outputs) {
        joined.set(o, at);
        at += o.length;
      }
      return { loss, metric, outputs: joined };
    },
    setLearningRate(lr) {
      leader.setLearningRate(lr);
      all({ type: 'learningRate', lr });
    },
    snapshot: () => leader.snapshot(),
    restore(weights) {
      leader.restore(weights);
      inSync = false;
    },
    toLayersModel: () => leader.toLayersModel(),
    dispose() {
      for (const r of replicas) {
        // The replica frees its tensors and ends; terminating covers one that no longer listens.
        r.port.post({ type: 'close' });
        void r.worker.terminate();
      }
      leader.dispose();
    },
  };
}
