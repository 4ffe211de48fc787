/**
 * JSON for metrics and results. Training can produce NaN or ±Infinity (a diverged loss, r² of a constant
 * target) and plain JSON turns them into null; these are stored tagged so they read back as numbers.
 */
const TAG = '$nonFinite';

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return { [TAG]: String(value) };
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === TAG) {
      const tagged = (value as Record<string, unknown>)[TAG];
      if (tagged === 'NaN' || tagged === 'Infinity' || tagged === '-Infinity') return Number(tagged);
    }
  }
  return value;
}

/** JSON text that keeps NaN and ±Infinity; `space` indents it as JSON.stringify does. */
export function encodeJson(value: unknown, space?: number): string {
  return JSON.stringify(value ?? null, replacer, space);
}

/** Reads text written by encodeJson (plain JSON reads the same). */
export function decodeJson(text: string): unknown {
  return JSON.parse(text, reviver);
}
