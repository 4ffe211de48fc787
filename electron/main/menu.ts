import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../shared/api/wire';

export interface MenuOptions {
  platform: NodeJS.Platform;
  /** Sends a command to the focused window's page (MENU_CHANNEL). */
  send: (command: MenuCommand) => void;
}

/**
 * The native menu. Items that act on the page send a MenuCommand; the page owns the keyboard
 * shortcuts shown here (they work in the browser preview too), so on Windows and Linux they are
 * displayed but not registered, and a key is never handled twice. On macOS Electron always
 * registers them: the menu then sends the command and the page sees no keydown.
 */
export function menuTemplate({ platform, send }: MenuOptions): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const command = (label: string, cmd: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    click: () => send(cmd),
    ...(accelerator ? { accelerator, registerAccelerator: false } : {}),
  });
  const separator: MenuItemConstructorOptions = { type: 'separator' };
  return [
    ...(mac ? [{ role: 'appMenu' } as const] : []),
    {
      label: 'File',
      submenu: [
        command('New project…', 'project:new', 'CmdOrCtrl+N'),
        command('Open…', 'project:open', 'CmdOrCtrl+O'),
        separator,
        command('Import project file…', 'project:import'),
        command('Export project…', 'project:export', 'CmdOrCtrl+Shift+E'),
        separator,
        command('Presets gallery', 'presets:gallery'),
        ...(mac ? [] : [separator, { role: 'quit' } as const]),
      ],
    },
    {
      label: 'Edit',
      submenu: [
        command('Undo', 'edit:undo', 'CmdOrCtrl+Z'),
        command('Redo', 'edit:redo', 'CmdOrCtrl+Shift+Z'),
        separator,
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        // A bare Delete key registered on macOS would swallow it in text fields: shown elsewhere only.
        command('Delete', 'edit:delete', mac ? undefined : 'Delete'),
        separator,
        { role: 'selectAll' },
      ],
    },
    {
      label: 'View',
      submenu: [
        command('Fit view', 'view:fit', 'CmdOrCtrl+Shift+F'),
        command('Auto layout', 'view:autoLayout', 'CmdOrCtrl+Shift+L'),
        command('Toggle dark mode', 'view:toggleColorScheme'),
        separator,
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'togglefullscreen' },
        separator,
        { role: 'reload' },
        { role: 'toggleDevTools' },
      ],
    },
    ...(mac ? [{ role: 'windowMenu' } as const] : []),
    {
      role: 'help',
      submenu: [command('The lesson behind the presets', 'help:lesson'), separator, { role: 'about' }],
    },
  ];
}
