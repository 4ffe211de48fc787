import { afterEach, describe, expect, it } from 'vitest';
import { appliesInTextFields, shortcutCommand, type KeyInput } from '../../renderer/src/app/shortcuts';
import { registerCommands, runCommand } from '../../renderer/src/app/commands';
import { formatRoute, parseRoute } from '../../renderer/src/app/route';

const key = (k: string, mods: Partial<KeyInput> = {}): KeyInput => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe('editor shortcuts', () => {
  it('maps the editing shortcuts on every platform', () => {
    expect(shortcutCommand(key('z', { ctrlKey: true }))).toBe('undo');
    expect(shortcutCommand(key('z', { metaKey: true }))).toBe('undo');
    expect(shortcutCommand(key('Z', { ctrlKey: true, shiftKey: true }))).toBe('redo');
    expect(shortcutCommand(key('Z', { metaKey: true, shiftKey: true }))).toBe('redo');
    expect(shortcutCommand(key('y', { ctrlKey: true }))).toBe('redo');
    expect(shortcutCommand(key('c', { ctrlKey: true }))).toBe('copy');
    expect(shortcutCommand(key('v', { metaKey: true }))).toBe('paste');
    expect(shortcutCommand(key('s', { ctrlKey: true }))).toBe('saveVersion');
    expect(shortcutCommand(key('Delete'))).toBe('delete');
    expect(shortcutCommand(key('Backspace'))).toBe('delete');
    expect(shortcutCommand(key('f'))).toBe('fitView');
  });

  it('leaves other keys alone', () => {
    expect(shortcutCommand(key('f', { ctrlKey: true }))).toBeNull();
    expect(shortcutCommand(key('F', { shiftKey: true }))).toBeNull();
    expect(shortcutCommand(key('z'))).toBeNull();
    expect(shortcutCommand(key('z', { ctrlKey: true, altKey: true }))).toBeNull();
    expect(shortcutCommand(key('a'))).toBeNull();
  });

  it('keeps typing in fields to the fields, except saving', () => {
    expect(appliesInTextFields('saveVersion')).toBe(true);
    expect(appliesInTextFields('delete')).toBe(false);
    expect(appliesInTextFields('undo')).toBe(false);
  });
});

describe('editor commands', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));

  it('runs the handler registered last and falls back when it goes', () => {
    const ran: string[] = [];
    cleanups.push(
      registerCommands({ undo: () => ran.push('shell undo'), fitView: () => ran.push('shell fit') }),
    );
    const editor = registerCommands({ fitView: () => ran.push('editor fit') });
    expect(runCommand('fitView')).toBe(true);
    expect(runCommand('undo')).toBe(true);
    editor();
    expect(runCommand('fitView')).toBe(true);
    expect(runCommand('paste')).toBe(false);
    expect(ran).toEqual(['editor fit', 'shell undo', 'shell fit']);
  });
});

describe('app route', () => {
  it('reads and writes the project and tab in the hash', () => {
    expect(parseRoute('#/project/12/training')).toEqual({ view: 'project', projectId: 12, tab: 'training' });
    expect(parseRoute('#/project/3')).toEqual({ view: 'project', projectId: 3, tab: 'editor' });
    expect(parseRoute('#/project/3/nonsense')).toEqual({ view: 'project', projectId: 3, tab: 'editor' });
    expect(parseRoute('')).toEqual({ view: 'start' });
    expect(parseRoute('#/project/0')).toEqual({ view: 'start' });
    expect(parseRoute('#/project/abc')).toEqual({ view: 'start' });
    expect(formatRoute({ view: 'project', projectId: 7, tab: 'runs' })).toBe('#/project/7/runs');
    expect(parseRoute(formatRoute({ view: 'start' }))).toEqual({ view: 'start' });
  });
});
