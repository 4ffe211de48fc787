import { useEffect } from 'react';
import { runCommand } from './commands';
import { appliesInTextFields, shortcutCommand } from './shortcuts';

/** Whether key presses on this element belong to it (typing), not to the app. */
function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(
      target.type,
    );
  }
  return target.getAttribute('role') === 'textbox' || target.getAttribute('role') === 'combobox';
}

/** Routes the app's keyboard shortcuts to the registered commands. */
export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      const command = shortcutCommand(e);
      if (!command) return;
      if (isTextEntry(e.target) && !appliesInTextFields(command)) return;
      // Keys pressed inside an open dialog are the dialog's.
      if (e.target instanceof Element && e.target.closest('[role="dialog"]')) return;
      if (runCommand(command)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
