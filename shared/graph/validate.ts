import type { Task } from '../data/types';
import {
  getBlock,
  outputLoss,
  type BlockContext,
  type BlockDefinition,
  type LossKind,
  type ParamCount,
  type ParamField,
  type Shape,
} from '../blocks';
import type { Graph, GraphNode } from './document';

/** One block's inferred facts, as the canvas shows them. */
export interface NodeAnalysis {
  nodeId: string;
  kind: string;
  /** Parsed params with defaults applied; null when they are invalid or the kind is unknown. */
  params: Record<string, unknown> | null;
  outputShape: Shape | null;
  /** Frozen blocks count as not trainable. */
  paramCount: ParamCount;
  errors: string[];
}

export interface GraphIssue {
  /** The block the problem belongs to; absent for problems of the whole graph. */
  nodeId?: string;
  message: string;
}

export interface GraphAnalysis {
  ok: boolean;
  nodes: Record<string, NodeAnalysis>;
  /** Every problem, node problems included, in the order found. */
  issues: GraphIssue[];
  /** Node ids from Input towards Output, as far as the chain reaches. */
  chain: string[];
  totals: { trainable: number; nonTrainable: number; total: number };
  task: Task | null;
  loss: LossKind | null;
  inputShape: Shape | null;
  outputShape: Shape | null;
}

function fieldMessage(block: BlockDefinition, field: ParamField | undefined, value: unknown): string {
  const label = field?.label ?? 'A setting';
  const got = value === undefined ? '' : ` (it is ${JSON.stringify(value)})`;
  if (field && (field.kind === 'int' || field.kind === 'number')) {
    const whole = field.kind === 'int' ? 'a whole number' : 'a number';
    const range =
      field.min !== undefined && field.max !== undefined
        ? ` from ${field.min} to ${field.max}`
        : field.min !== undefined
          ? ` of at least ${field.min}`
          : '';
    return `${block.label}: ${label} must be ${whole}${range}${got}.`;
  }
  if (field?.kind === 'select')
    return `${block.label}: ${label} must be one of ${field.options.map((o) => o.value).join(', ')}${got}.`;
  if (field?.kind === 'padding')
    return `${block.label}: ${label} must be same, valid or a whole number of pixels from 0 to 16${got}.`;
  if (field?.kind === 'boolean') return `${block.label}: ${label} must be on or off${got}.`;
  return `${block.label}: ${label} is invalid${got}.`;
}

/** Checks a graph and infers every block's output shape and parameter count. Pure; never throws. */
export function analyzeGraph(graph: Graph, ctx: BlockContext = {}): GraphAnalysis {
  const issues: GraphIssue[] = [];
  const nodes: Record<string, NodeAnalysis> = {};
  const byId = new Map<string, GraphNode>();
  const addNodeError = (nodeId: string, message: string) => {
    const n = nodes[nodeId];
    if (n && !n.errors.includes(message)) {
      n.errors.push(message);
      issues.push({ nodeId, message });
    }
  };

  for (const node of graph.nodes) {
    byId.set(node.id, node);
    nodes[node.id] = {
      nodeId: node.id,
      kind: node.kind,
      params: null,
      outputShape: null,
      paramCount: { trainable: 0, fixed: 0 },
      errors: [],
    };
    const block = getBlock(node.kind);
    if (!block) {
      addNodeError(
        node.id,
        `Unknown block "${node.kind}": it may come from a newer version of the app, so update the app or delete this block.`,
      );
      continue;
    }
    const parsed = block.schema.safeParse(node.params);
    if (parsed.success) {
      nodes[node.id]!.params = parsed.data;
    } else {
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[0] ?? '');
        addNodeError(
          node.id,
          fieldMessage(
            block,
            block.fields.find((f) => f.key === key),
            node.params[key],
          ),
        );
      }
    }
  }

  const outgoing = new Map<string, string[]>();
  const incoming = new Map<string, string[]>();
  for (const edge of graph.edges) {
    if (!byId.has(edge.source) || !byId.has(edge.target)) {
      const missing = byId.has(edge.source) ? edge.target : edge.source;
      const message = `A connection leads to a block "${missing}" that does not exist: remove that connection.`;
      // On the block that still exists, so the canvas can show it; on the graph when neither does.
      const existing = [edge.source, edge.target].find((id) => byId.has(id));
      if (existing) addNodeError(existing, message);
      else issues.push({ message });
      continue;
    }
    if (edge.source === edge.target) {
      addNodeError(edge.source, 'This block is connected to itself: remove that connection.');
      continue;
    }
    const out = outgoing.get(edge.source) ?? [];
    if (out.includes(edge.target)) continue;
    out.push(edge.target);
    outgoing.set(edge.source, out);
    incoming.set(edge.target, [...(incoming.get(edge.target) ?? []), edge.source]);
  }

  const inputs = graph.nodes.filter((n) => n.kind === 'input');
  const outputs = graph.nodes.filter((n) => n.kind === 'output');
  if (inputs.length === 0)
    issues.push({ message: 'The network has no Input block: add one from the palette (Input / output).' });
  if (outputs.length === 0)
    issues.push({
      message:
        'The network has no Output block: add one from the palette (Input / output) after the last layer.',
    });
  for (const extra of inputs.slice(1))
    addNodeError(extra.id, 'A network has one Input block: delete this one or the other.');
  for (const extra of outputs.slice(1))
    addNodeError(extra.id, 'A network has one Output block: delete this one or the other.');

  for (const node of graph.nodes) {
    const block = getBlock(node.kind);
    const ins = incoming.get(node.id) ?? [];
    const outs = outgoing.get(node.id) ?? [];
    if (block && !block.ports.input && ins.length > 0)
      addNodeError(node.id, `${block.label} cannot take an input: remove the connection into it.`);
    if (block && !block.ports.output && outs.length > 0)
      addNodeError(node.id, `${block.label} cannot feed another block: remove the connection out of it.`);
    if (ins.length > 1)
      addNodeError(
        node.id,
        'This block has several inputs: networks with merging branches are not supported yet, keep one connection.',
      );
    if (outs.length > 1)
      addNodeError(
        node.id,
        'This block feeds several blocks: networks with branches are not supported yet, keep one connection.',
      );
  }

  // Cycles: colour DFS over the edge lists.
  const colour = new Map<string, 1 | 2>();
  const onCycle = new Set<string>();
  const visit = (id: string, path: string[]) => {
    colour.set(id, 1);
    for (const next of outgoing.get(id) ?? []) {
      if (colour.get(next) === 1) {
        for (const p of path.slice(path.indexOf(next))) onCycle.add(p);
        onCycle.add(id);
      } else if (!colour.has(next)) visit(next, [...path, next]);
    }
    colour.set(id, 2);
  };
  for (const node of graph.nodes) if (!colour.has(node.id)) visit(node.id, [node.id]);
  for (const id of onCycle) {
    addNodeError(
      id,
      'This block is part of a loop: a network must flow one way from Input to Output, so remove one of the loop’s connections.',
    );
  }

  // The chain from the Input, as far as it goes one way.
  const chain: string[] = [];
  const first = inputs[0];
  if (first) {
    const seen = new Set<string>();
    let current: string | undefined = first.id;
    while (current && !seen.has(current)) {
      seen.add(current);
      chain.push(current);
      current = outgoing.get(current)?.[0];
    }
  }
  const inChain = new Set(chain);
  const lastId = chain[chain.length - 1];
  const reachedOutput = lastId !== undefined && byId.get(lastId)?.kind === 'output';
  if (first && !reachedOutput && outputs.length > 0 && onCycle.size === 0 && lastId !== undefined) {
    addNodeError(lastId, 'This block’s output goes nowhere: connect it to the next block or to the Output.');
  }
  // Without an Input nothing is connected to a network: "no Input" alone says what to do.
  for (const node of first ? graph.nodes : []) {
    if (!inChain.has(node.id) && !(node.kind === 'input' && node !== first)) {
      addNodeError(
        node.id,
        'This block is not connected to the network: connect it between Input and Output, or delete it.',
      );
    }
  }

  // Shapes and counts along the chain, stopping at the first block that cannot take its input.
  let shape: Shape | undefined;
  let broken = false;
  let task: Task | null = null;
  let loss: LossKind | null = null;
  for (const id of chain) {
    const node = byId.get(id)!;
    const analysis = nodes[id]!;
    const block = getBlock(node.kind);
    if (!block || !analysis.params || broken) {
      broken = true;
      continue;
    }
    const result = block.outputShape(shape, analysis.params, ctx);
    if (!result.ok) {
      addNodeError(id, result.message);
      broken = true;
      continue;
    }
    if (shape !== undefined) {
      const count = block.paramCount(shape, analysis.params);
      analysis.paramCount = node.frozen ? { trainable: 0, fixed: count.trainable + count.fixed } : count;
    }
    analysis.outputShape = result.shape;
    shape = result.shape;
    if (node.kind === 'output') {
      const p = analysis.params as { task: Task; loss?: LossKind };
      task = p.task;
      loss = outputLoss(p);
    }
  }

  let trainable = 0;
  let nonTrainable = 0;
  for (const id of chain) {
    trainable += nodes[id]!.paramCount.trainable;
    nonTrainable += nodes[id]!.paramCount.fixed;
  }
  const inputShape = first ? nodes[first.id]!.outputShape : null;
  return {
    ok: issues.length === 0 && reachedOutput,
    nodes,
    issues,
    chain,
    totals: { trainable, nonTrainable, total: trainable + nonTrainable },
    task,
    loss,
    inputShape,
    outputShape: reachedOutput ? (nodes[lastId]!.outputShape ?? null) : null,
  };
}
