import type { Task } from '../data/types';
import { getBlock, type BlockContext, type LayerConfig, type LossKind, type Shape } from '../blocks';
import type { Graph } from './document';
import { analyzeGraph, type GraphAnalysis, type GraphIssue } from './validate';

/** How the network's last values are read: probabilities already, or raw scores (logits). */
export type OutputActivation = 'sigmoid' | 'softmax' | 'linear';

/** A network ready to build: Keras-style layer configs in order, plus what the trainer needs to know. */
export interface CompiledModel {
  inputShape: Shape;
  outputSize: number;
  layers: LayerConfig[];
  /** Which tfjs layers each block became, so weights can be frozen, matched or exported per block. */
  blockLayers: { nodeId: string; kind: string; layerNames: string[]; frozen: boolean }[];
  task: Task;
  loss: LossKind;
  outputActivation: OutputActivation;
  params: GraphAnalysis['totals'];
}

export type CompileResult =
  | { ok: true; model: CompiledModel; analysis: GraphAnalysis }
  | { ok: false; issues: GraphIssue[]; analysis: GraphAnalysis };

/** tfjs layer names allow letters, digits and underscores; node ids are free text. */
export function layerName(nodeId: string): string {
  return `b_${nodeId.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

function blockSeed(seed: number, index: number): number {
  return (Math.imul(seed + 1, 2654435761) + index * 7919) >>> 1;
}

/** Graph -> layer configs, or the errors that prevent it, each naming its block. Pure. */
export function compileGraph(graph: Graph, options: { seed: number; ctx?: BlockContext }): CompileResult {
  const analysis = analyzeGraph(graph, options.ctx ?? {});
  if (!analysis.ok || !analysis.task || !analysis.loss || !analysis.inputShape || !analysis.outputShape) {
    const issues =
      analysis.issues.length > 0
        ? analysis.issues
        : [{ message: 'The network does not reach from an Input to an Output block.' }];
    return { ok: false, issues, analysis };
  }
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const layers: LayerConfig[] = [];
  const blockLayers: CompiledModel['blockLayers'] = [];
  let shape: Shape = analysis.inputShape;
  let lastActivation: OutputActivation = 'linear';
  const usedNames = new Set<string>();
  analysis.chain.forEach((id, index) => {
    const node = byId.get(id)!;
    const block = getBlock(node.kind)!;
    const node_ = analysis.nodes[id]!;
    if (node.kind !== 'input') {
      const seed = blockSeed(options.seed, index);
      let made = block.layers(shape, node_.params!, { name: layerName(id), seed });
      // Ids that differ only in punctuation ("fc-1", "fc_1") sanitise alike, and tfjs needs unique names: number the later one.
      for (let n = 2; made.some((l) => usedNames.has(String(l.config.name))); n++) {
        made = block.layers(shape, node_.params!, { name: `${layerName(id)}_${n}`, seed });
      }
      for (const layer of made) {
        usedNames.add(String(layer.config.name));
        layer.config.trainable = !node.frozen;
      }
      layers.push(...made);
      blockLayers.push({
        nodeId: id,
        kind: node.kind,
        layerNames: made.map((l) => String(l.config.name)),
        frozen: node.frozen,
      });
      if (node.kind === 'sigmoid') lastActivation = 'sigmoid';
      else if (node.kind === 'softmax') lastActivation = 'softmax';
      else if (made.length > 0) lastActivation = 'linear';
    }
    shape = node_.outputShape!;
  });
  if (layers.length === 0) {
    return {
      ok: false,
      issues: [{ message: 'The network has no layers between Input and Output: add a Dense block.' }],
      analysis,
    };
  }
  return {
    ok: true,
    analysis,
    model: {
      inputShape: analysis.inputShape,
      outputSize: analysis.outputShape[0]!,
      layers,
      blockLayers,
      task: analysis.task,
      loss: analysis.loss,
      outputActivation: lastActivation,
      params: analysis.totals,
    },
  };
}
