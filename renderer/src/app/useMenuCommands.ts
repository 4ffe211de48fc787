import { useMantineColorScheme } from '@mantine/core';
import { useEffect } from 'react';
import { PRELOAD_GLOBAL, type MenuCommand, type PreloadApi } from '../../../shared/api/wire';
import { runCommand, type AppCommand } from './commands';
import { navigate } from './useRoute';
import { useProjectStore } from './useProjectStore';
import { useUiStore } from './useUiStore';
import { notifyInfo } from './useToastStore';

const editCommands: Partial<Record<MenuCommand, AppCommand>> = {
  'edit:undo': 'undo',
  'edit:redo': 'redo',
  'edit:delete': 'delete',
  'view:fit': 'fitView',
  'view:autoLayout': 'autoLayout',
};

/** Carries out the native menu's commands (Electron only: the browser preview has no menu). */
export function useMenuCommands(): void {
  const { setColorScheme } = useMantineColorScheme();

  useEffect(() => {
    const api = (window as unknown as Record<string, Partial<PreloadApi> | undefined>)[PRELOAD_GLOBAL];
    if (typeof api?.onMenuCommand !== 'function') return;
    const ui = useUiStore.getState();
    const toStart = (kind?: 'new' | 'import' | 'presets') => {
      navigate({ view: 'start' });
      if (kind) ui.requestStart(kind);
    };
    return api.onMenuCommand((command) => {
      const edit = editCommands[command];
      if (edit) {
        runCommand(edit);
        return;
      }
      switch (command) {
        case 'project:new':
          return toStart('new');
        case 'project:open':
          return toStart();
        case 'project:import':
          return toStart('import');
        case 'presets:gallery':
          return toStart('presets');
        case 'project:export':
          if (useProjectStore.getState().projectId === null)
            notifyInfo('Open a project first, then export it.');
          else ui.setExportOpen(true);
          return;
        case 'view:toggleColorScheme':
          // Mantine marks the scheme in use (the OS's, while it follows the OS) on the root element.
          return setColorScheme(
            document.documentElement.getAttribute('data-mantine-color-scheme') === 'dark' ? 'light' : 'dark',
          );
        case 'help:lesson':
          return ui.setHelpOpen(true);
        case 'edit:undo':
        case 'edit:redo':
        case 'edit:delete':
        case 'view:fit':
        case 'view:autoLayout':
          return;
      }
    });
  }, [setColorScheme]);
}
