import type { AppCommand } from './commands';

/** The parts of a keyboard event a shortcut depends on. */
export interface KeyInput {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** The command a key press asks for, or null. Ctrl and Cmd both count, so one table serves every OS. */
export function shortcutCommand(e: KeyInput): AppCommand | null {
  const key = e.key.toLowerCase();
  const mod = e.ctrlKey || e.metaKey;
  if (e.altKey) return null;
  if (mod) {
    switch (key) {
      case 'z':
        return e.shiftKey ? 'redo' : 'undo';
      case 'y':
        return e.shiftKey ? null : 'redo';
      case 'c':
        return e.shiftKey ? null : 'copy';
      case 'v':
        return e.shiftKey ? null : 'paste';
      case 's':
        return e.shiftKey ? null : 'saveVersion';
      default:
        return null;
    }
  }
  if (e.shiftKey) return null;
  switch (key) {
    case 'delete':
    case 'backspace':
      return 'delete';
    case 'f':
      return 'fitView';
    default:
      return null;
  }
}

/** Commands that still apply while the user types in a field (the others belong to the field there). */
export function appliesInTextFields(command: AppCommand): boolean {
  return command === 'saveVersion';
}

/** How a shortcut reads in menus and help, for this platform. */
export function shortcutLabel(keys: string, mac: boolean): string {
  return mac ? keys.replace(/Ctrl\+/g, '⌘').replace(/Shift\+/g, '⇧') : keys;
}
