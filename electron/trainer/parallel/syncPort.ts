// A synchronous request/reply line between two threads: the message goes through a MessagePort and an
// Atomics counter wakes the other side, which takes it with receiveMessageOnPort. Both sides block, so
// neither needs its event loop: the trainer's step stays a plain synchronous function, as on one thread.
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { Control } from './protocol';

/** How long the trainer thread waits in one go before it checks whether the replica has ended. */
const WAIT_SLICE_MS = 1000;

export class ReplicaEndedError extends Error {}

/** The trainer thread's end. */
export class LeaderPort<Command, Reply> {
  private readonly words: Int32Array;
  private posted = 0;

  constructor(
    private readonly port: MessagePort,
    control: SharedArrayBuffer,
  ) {
    this.words = new Int32Array(control);
  }

  /** Sends a command without waiting for its reply. */
  post(command: Command): void {
    this.port.postMessage(command);
    this.posted++;
    Atomics.store(this.words, Control.posted, this.posted);
    Atomics.notify(this.words, Control.posted);
  }

  /** Waits until every command posted so far is answered; returns the replies in order. */
  drain(): Reply[] {
    for (;;) {
      const answered = Atomics.load(this.words, Control.answered);
      if (answered === this.posted) break;
      if (Atomics.load(this.words, Control.ended) === 1)
        throw new ReplicaEndedError('A training thread ended unexpectedly.');
      Atomics.wait(this.words, Control.answered, answered, WAIT_SLICE_MS);
    }
    const replies: Reply[] = [];
    for (let m = receiveMessageOnPort(this.port); m; m = receiveMessageOnPort(this.port))
      replies.push(m.message as Reply);
    return replies;
  }
}

/** The replica's end: blocks for each command, answers it, and returns when `handle` says to stop. */
export function serveCommands<Command, Reply>(
  port: MessagePort,
  control: SharedArrayBuffer,
  handle: (command: Command) => { reply: Reply; stop?: boolean },
): void {
  const words = new Int32Array(control);
  let answered = 0;
  for (;;) {
    Atomics.wait(words, Control.posted, answered);
    const m = receiveMessageOnPort(port);
    if (!m) continue; // woken before the message landed: wait for it
    const { reply, stop } = handle(m.message as Command);
    port.postMessage(reply);
    answered++;
    Atomics.store(words, Control.answered, answered);
    Atomics.notify(words, Control.answered);
    if (stop) return;
  }
}

/** Marks the replica ended (so a waiting trainer thread stops waiting) and wakes it. */
export function markEnded(control: SharedArrayBuffer): void {
  const words = new Int32Array(control);
  Atomics.store(words, Control.ended, 1);
  Atomics.notify(words, Control.answered);
}
