// App commands, reachable from keyboard shortcuts, the native menu and buttons alike. Whoever can carry
// a command out registers a handler while it is on screen; the latest registration wins.

export const appCommands = [
  'undo',
  'redo',
  'delete',
  'copy',
  'paste',
  'saveVersion',
  'fitView',
  'autoLayout',
] as const;
export type AppCommand = (typeof appCommands)[number];

type Handlers = Partial<Record<AppCommand, () => void>>;

const stack: Handlers[] = [];

/** Registers handlers until the returned function is called. */
export function registerCommands(handlers: Handlers): () => void {
  stack.push(handlers);
  return () => {
    const i = stack.lastIndexOf(handlers);
    if (i >= 0) stack.splice(i, 1);
  };
}

/** Runs a command; false when nothing on screen handles it. */
export function runCommand(command: AppCommand): boolean {
  for (let i = stack.length - 1; i >= 0; i--) {
    const handler = stack[i]![command];
    if (handler) {
      handler();
      return true;
    }
  }
  return false;
}
