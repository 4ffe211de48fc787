import type { z } from 'zod';
import { defineBlock, type BlockDefinition, type LayerConfig, type ParamField } from './types';

interface ActivationSpec<P extends Record<string, unknown>> {
  kind: string;
  label: string;
  help: string;
  schema: z.ZodType<P>;
  fields: readonly ParamField[];
  layer(params: P, name: string): LayerConfig;
  summary?(params: P): string;
}

/** Activations keep their input's shape and have no weights: one shared definition, one file per kind. */
export function activationBlock<P extends Record<string, unknown>>(
  spec: ActivationSpec<P>,
): BlockDefinition<P> {
  return defineBlock({
    kind: spec.kind,
    label: spec.label,
    group: 'activations',
    help: spec.help,
    schema: spec.schema,
    fields: spec.fields,
    ports: { input: true, output: true },
    outputShape(input) {
      if (!input) return { ok: false, message: `${spec.label} needs an input: connect a block to it.` };
      return { ok: true, shape: input };
    },
    paramCount: () => ({ trainable: 0, fixed: 0 }),
    layers: (_input, p, { name }) => [spec.layer(p, name)],
    summary: (p) => spec.summary?.(p) ?? '',
  });
}
