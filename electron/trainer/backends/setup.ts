// Chooses and starts the tfjs backend of a training run: the native TensorFlow binding when it is
// installed and loads, else wasm (completed with the training kernels it lacks), else plain-JS cpu.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { BackendChoice, BackendName } from '../../../shared/api/trainer';
import { tf } from '../tf';
import { registerWasmTrainingKernels } from './wasmKernels';

/** What the model asks of a backend; `auto` picks by it when native TensorFlow is missing. */
export interface BackendNeeds {
  /** The model has Conv2D layers (wasm trains the lesson's ConvNet about 500× faster than cpu). */
  convolution?: boolean;
  /** Samples per batch. */
  batchSize?: number;
  /** Trainable parameters. */
  parameters?: number;
}

/**
 * Measured with bench/run.ts (epochs interleaved): a tiny MLP at a small batch is all per-op
 * overhead, and cpu's is lower (housing 8-24-12-6-1 at batch 10: cpu 1.2–1.7× wasm); from batch
 * 64 or any sizeable layer, wasm's XNNPACK arithmetic wins.
 */
function cpuIsFaster(needs: BackendNeeds): boolean {
  return (
    !needs.convolution &&
    needs.batchSize !== undefined &&
    needs.batchSize <= 16 &&
    needs.parameters !== undefined &&
    needs.parameters <= 20_000
  );
}

/** The backend a run got, and why, in words for the user. */
export interface BackendSelection {
  name: BackendName;
  reason: string;
}

type Attempt = { ok: true; name: BackendName; detail: string } | { ok: false; why: string };

const NATIVE_PACKAGES = [
  { pkg: '@tensorflow/tfjs-node-gpu', name: 'tensorflow-gpu' },
  { pkg: '@tensorflow/tfjs-node', name: 'tensorflow' },
] as const;

/**
 * The esbuild bundle (CommonJS) and vitest provide `require`; plain ESM (tsx, for the benchmark)
 * does not, and `import.meta` is empty in the bundle, so that case resolves from the working folder.
 */
function nodeRequire(): NodeJS.Require {
  return typeof require === 'function' ? require : createRequire(join(process.cwd(), 'noop.js'));
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

/** Loads one optional native binding; it registers the 'tensorflow' backend when it loads. */
async function tryNative(pkg: string, name: BackendName): Promise<Attempt> {
  if (tf.findBackend('tensorflow') == null) {
    try {
      nodeRequire()(pkg);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const missing = code === 'MODULE_NOT_FOUND' && firstLine(error).includes(pkg);
      return {
        ok: false,
        why: missing ? `${pkg} is not installed` : `${pkg} did not load (${firstLine(error)})`,
      };
    }
  }
  if (!(await tf.setBackend('tensorflow')))
    return { ok: false, why: `${pkg} loaded but its backend did not start` };
  return { ok: true, name, detail: `native TensorFlow through ${pkg}` };
}

let wasmPathsSet = false;

async function tryWasm(): Promise<Attempt> {
  registerWasmTrainingKernels();
  if (!wasmPathsSet) {
    try {
      // The package's main file lives in dist/, next to the .wasm binaries.
      setWasmPaths(`${dirname(nodeRequire().resolve('@tensorflow/tfjs-backend-wasm'))}/`);
      wasmPathsSet = true;
    } catch {
      // Unresolvable from here: the backend then looks next to its own script, which is the same folder.
    }
  }
  try {
    if (!(await tf.setBackend('wasm'))) return { ok: false, why: 'the WebAssembly backend did not start' };
  } catch (error) {
    return { ok: false, why: `the WebAssembly backend did not start (${firstLine(error)})` };
  }
  return { ok: true, name: 'wasm', detail: 'WebAssembly with XNNPACK (SIMD, one thread)' };
}

async function tryCpu(): Promise<Attempt> {
  if (!(await tf.setBackend('cpu'))) return { ok: false, why: 'the JavaScript backend did not start' };
  return { ok: true, name: 'cpu', detail: 'plain JavaScript' };
}

/**
 * Starts the backend for `choice` and makes it tfjs's current one.
 * `auto` takes native TensorFlow (GPU build first) when installed, else the faster of wasm and cpu
 * for `needs` (wasm when they are not given); `tensorflow` fails with a user-facing message when no
 * native binding loads.
 */
export async function initBackend(
  choice: BackendChoice,
  needs: BackendNeeds = {},
): Promise<BackendSelection> {
  const skipped: string[] = [];
  const take = (a: Extract<Attempt, { ok: true }>, why: string): BackendSelection => ({
    name: a.name,
    reason: [why, skipped.length ? `(${skipped.join('; ')})` : ''].filter(Boolean).join(' '),
  });

  switch (choice) {
    case 'tensorflow':
    case 'auto': {
      for (const { pkg, name } of NATIVE_PACKAGES) {
        const a = await tryNative(pkg, name);
        if (a.ok) return take(a, `${choice === 'auto' ? 'fastest available: ' : ''}${a.detail}`);
        skipped.push(a.why);
      }
      if (choice === 'tensorflow') {
        throw new Error(
          `The TensorFlow backend is not available here (${skipped.join('; ')}): install @tensorflow/tfjs-node, or choose the wasm or cpu backend.`,
        );
      }
      if (cpuIsFaster(needs)) {
        const cpu = await tryCpu();
        if (cpu.ok) return take(cpu, `${cpu.detail}: the fastest for a small network at a small batch`);
        skipped.push(cpu.why);
      }
      const wasm = await tryWasm();
      const why = needs.convolution
        ? 'it trains convolutions hundreds of times faster than cpu'
        : 'the fastest backend without native TensorFlow';
      if (wasm.ok) return take(wasm, `${wasm.detail}: ${why}`);
      skipped.push(wasm.why);
      const cpu = await tryCpu();
      if (cpu.ok) return take(cpu, `${cpu.detail}: the only backend that started`);
      throw new Error(
        `No TensorFlow.js backend could start (${[...skipped, cpu.why].join('; ')}): reinstall the app.`,
      );
    }
    case 'wasm': {
      const a = await tryWasm();
      if (!a.ok)
        throw new Error(
          `The wasm backend could not start (${a.why}): choose the cpu backend or reinstall the app.`,
        );
      return take(a, `${a.detail}, as chosen`);
    }
    case 'cpu': {
      const a = await tryCpu();
      if (!a.ok) throw new Error(`The cpu backend could not start (${a.why}): reinstall the app.`);
      return take(a, `${a.detail}, as chosen`);
    }
  }
}
