// A replica thread of data-parallel training (see parallelEngine.ts): the same network and optimiser
// as the trainer thread's, on the same backend, driven step by step through a synchronous port.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { createRng } from '../../../shared/data/random';
import { initBackend } from '../backends/setup';
import { createLayersEngine, type LayersEngine } from '../engines/layersEngine';
import type { ReplicaCommand, ReplicaReply, ReplicaSetup } from './protocol';
import { markEnded, serveCommands } from './syncPort';

const { setup, port } = workerData as { setup: ReplicaSetup; port: MessagePort };

function handle(engine: LayersEngine, command: ReplicaCommand): ReplicaReply {
  switch (command.type) {
    case 'load':
      engine.loadSamples(command.x, command.y, command.count);
      return { type: 'ok' };
    case 'release':
      engine.releaseSamples();
      return { type: 'ok' };
    case 'gradients': {
      const { loss, metric } = engine.gradients(
        command.start,
        command.size,
        command.scale,
        new Float32Array(setup.gradient),
      );
      return { type: 'batch', loss, metric };
    }
    case 'apply':
      engine.applyGradients(new Float32Array(setup.reduced));
      return { type: 'ok' };
    case 'learningRate':
      engine.setLearningRate(command.lr);
      return { type: 'ok' };
    case 'setWeights':
      engine.restore(command.weights);
      return { type: 'ok' };
    case 'evaluate': {
      const { loss, metric, outputs } = engine.evaluate(command.x, command.y, command.count);
      return { type: 'evaluated', loss, metric, outputs };
    }
    case 'close':
      engine.dispose();
      return { type: 'ok' };
  }
}

async function main(): Promise<void> {
  process.on('exit', () => markEnded(setup.control));
  const rng = createRng(setup.seed);
  Math.random = () => rng.next();
  const backend = await initBackend(setup.backend === 'cpu' ? 'cpu' : 'wasm');
  if (backend.name !== setup.backend) throw new Error(`its backend is ${backend.name}, not ${setup.backend}`);
  const engine = createLayersEngine({ net: setup.net, settings: setup.settings });
  parentPort!.postMessage({ type: 'ready' });
  serveCommands<ReplicaCommand, ReplicaReply>(port, setup.control, (command) => {
    try {
      return { reply: handle(engine, command), stop: command.type === 'close' };
    } catch (error) {
      return { reply: { type: 'error', message: error instanceof Error ? error.message : String(error) } };
    }
  });
  markEnded(setup.control);
}

main().catch((error: unknown) => {
  parentPort!.postMessage({
    type: 'failed',
    message: error instanceof Error ? error.message : String(error),
  });
  markEnded(setup.control);
});
