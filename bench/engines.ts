// The measuring processes bench/run.ts drives: one per tfjs backend (bench/serve.ts) and one for
// PyTorch (torch_ref.py --serve). They stay up for the whole run so that every engine's epochs of a
// network interleave and share the machine's load, which on shared machines drifts by 2× or more.
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { BenchBackend, BenchReply, BenchRequest } from './protocol';

export const PYTHON = '/usr/bin/python3';

export interface Engine {
  readonly name: string;
  /** How it started (backend and reason), or why it did not. */
  readonly detail: string;
  readonly ready: boolean;
  request(req: BenchRequest): Promise<BenchReply>;
  close(): void;
}

/** Replies in order, one per request, from any message source. */
class ReplyQueue {
  private readonly waiting: ((r: BenchReply) => void)[] = [];
  private readonly early: BenchReply[] = [];
  constructor(private readonly name: string) {}

  push(r: BenchReply): void {
    const next = this.waiting.shift();
    if (next) next(r);
    else this.early.push(r);
  }

  next(): Promise<BenchReply> {
    const r = this.early.shift();
    return r ? Promise.resolve(r) : new Promise((resolve) => this.waiting.push(resolve));
  }

  fail(why: string): void {
    for (const w of this.waiting.splice(0)) w({ ok: false, error: `${this.name} ${why}` });
    this.early.push({ ok: false, error: `${this.name} ${why}` });
  }
}

class ProcessEngine implements Engine {
  detail = '';
  ready = false;
  private readonly replies: ReplyQueue;

  constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    private readonly send: (req: BenchRequest) => void,
    subscribe: (push: (r: BenchReply) => void) => void,
  ) {
    this.replies = new ReplyQueue(name);
    subscribe((r) => this.replies.push(r));
    child.on('exit', (code) => this.replies.fail(`exited (code ${code})`));
  }

  async start(): Promise<this> {
    const first = await this.replies.next();
    this.ready = first.ok && 'ready' in first;
    this.detail = first.ok ? ('detail' in first ? (first.detail ?? '') : '') : first.error;
    return this;
  }

  request(req: BenchRequest): Promise<BenchReply> {
    this.send(req);
    return this.replies.next();
  }

  close(): void {
    this.child.kill();
  }
}

/** A tfjs backend in its own process, so kernel registrations and memory never mix between backends. */
export function startTfjs(backend: BenchBackend): Promise<Engine> {
  const script = fileURLToPath(new URL('./serve.ts', import.meta.url));
  // execArgv carries tsx's loader into the child.
  const child = fork(script, [backend], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const engine = new ProcessEngine(
    backend,
    child,
    (req) => child.send(req),
    (push) => child.on('message', (m) => push(m as BenchReply)),
  );
  return engine.start();
}

export function torchInstalled(): boolean {
  return existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
}

export function startTorch(threads: number): Promise<Engine> {
  const script = fileURLToPath(new URL('./torch_ref.py', import.meta.url));
  const child = spawn(PYTHON, [script, '--serve', '--threads', String(threads)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const engine = new ProcessEngine(
    'pytorch',
    child,
    (req) => child.stdin!.write(`${JSON.stringify(req)}\n`),
    (push) =>
      createInterface({ input: child.stdout! }).on('line', (line) => push(JSON.parse(line) as BenchReply)),
  );
  return engine.start();
}
