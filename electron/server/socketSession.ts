import type { RawData, WebSocket } from 'ws';
import { z } from 'zod';
import type { Handlers } from '../../shared/api/contract';
import type { ServerMessage } from '../../shared/api/wire';
import { dispatchCall } from '../services/api/dispatch';

const callSchema = z.object({
  kind: z.literal('call'),
  id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  name: z.string().max(200),
  args: z.unknown(),
});

/** Sends when the socket is still open; a page that went away mid-request is no error. */
export function sendMessage(ws: WebSocket, message: ServerMessage | string): void {
  if (ws.readyState === ws.OPEN) ws.send(typeof message === 'string' ? message : JSON.stringify(message));
}

function parseCall(data: RawData): z.infer<typeof callSchema> | null {
  try {
    const parsed = callSchema.safeParse(JSON.parse(data.toString()));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Serves one page's socket: each text message is a call (wire.ts ClientMessage), answered by id once
 * its handler settles; calls run concurrently, as they do over Electron's IPC.
 */
export function serveSocket(ws: WebSocket, handlers: Handlers, log?: (error: unknown) => void): void {
  ws.on('message', (data, isBinary) => {
    const call = isBinary ? null : parseCall(data);
    if (!call) {
      // Not our client: there is no id to answer, so the socket is closed (1008: policy violation).
      ws.close(1008, 'Messages must be JSON calls.');
      return;
    }
    void dispatchCall(handlers, call.name, call.args, log).then((envelope) =>
      sendMessage(ws, { kind: 'result', id: call.id, ...envelope }),
    );
  });
}
