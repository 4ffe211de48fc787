import type { BlockDefinition, ParamField } from '../../../../shared/blocks';

type NumberField = Extract<ParamField, { kind: 'int' | 'number' }>;

export type NumberCheck = { ok: true; value: number } | { ok: false; message: string };

/** Checks what was typed into a number field against the field's limits, saying how to fix it. */
export function checkNumber(field: NumberField, input: string | number): NumberCheck {
  const text = String(input).trim();
  if (text === '' || text === '-') return { ok: false, message: 'Enter a number.' };
  const value = Number(text);
  if (!Number.isFinite(value)) return { ok: false, message: 'Enter a number.' };
  if (field.kind === 'int' && !Number.isInteger(value))
    return { ok: false, message: 'Enter a whole number.' };
  const { min, max } = field;
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
    const range =
      min !== undefined && max !== undefined
        ? `from ${min} to ${max}`
        : min !== undefined
          ? `of at least ${min}`
          : `of at most ${max}`;
    return { ok: false, message: `Enter a number ${range}.` };
  }
  return { ok: true, value };
}

/** A param's value as the block uses it: the node's own, else the block's default. */
export function paramValue(block: BlockDefinition, params: Record<string, unknown>, key: string): unknown {
  if (params[key] !== undefined) return params[key];
  const parsed = block.schema.safeParse({ ...params, [key]: undefined });
  if (parsed.success) return (parsed.data as Record<string, unknown>)[key];
  // Another param is invalid: the default alone still tells what this one is.
  const defaults = block.schema.safeParse({});
  return defaults.success ? (defaults.data as Record<string, unknown>)[key] : undefined;
}

/** Whether a param may be left unset (the Output's loss: the task's default applies). */
export function isOptional(block: BlockDefinition, params: Record<string, unknown>, key: string): boolean {
  const parsed = block.schema.safeParse({ ...params, [key]: undefined });
  return parsed.success && (parsed.data as Record<string, unknown>)[key] === undefined;
}
