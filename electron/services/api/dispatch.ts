import type { z } from 'zod';
import { contract, type Handlers, type RequestName } from '../../../shared/api/contract';
import type { CallEnvelope } from '../../../shared/api/wire';
import { toErrorPayload } from './errors';

/** True when `name` is a request of the contract (own keys only: `toString` is not a request). */
export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'unreadable arguments';
  const where = issue.path.map(String).join('.');
  return `${where ? `${where}: ` : ''}${issue.message.replace(/\.\s*$/, '')}`;
}

/**
 * Runs one request from an untrusted caller (the renderer): the name must be in the contract and the
 * arguments must parse with its zod schema before a handler sees them. Never throws.
 */
export async function dispatchCall(
  handlers: Handlers,
  name: unknown,
  args: unknown,
  log?: (error: unknown) => void,
): Promise<CallEnvelope> {
  if (!isRequestName(name)) {
    const shown = String(name).slice(0, 100);
    return {
      ok: false,
      error: {
        code: 'unknown-request',
        message: `This version of the app has no request "${shown}": reload the window.`,
      },
    };
  }
  const schema = contract[name].args as z.ZodType;
  const parsed = schema.safeParse(args);
  if (!parsed.success) {
    return {
      ok: false,
      error: {
        code: 'invalid-request',
        message: `The app sent an invalid "${name}" request (${describeIssue(parsed.error)}): reload the window and try again.`,
      },
    };
  }
  try {
    const handler = handlers[name] as (args: unknown) => Promise<unknown>;
    return { ok: true, result: await handler(parsed.data) };
  } catch (error) {
    return { ok: false, error: toErrorPayload(error, log) };
  }
}
