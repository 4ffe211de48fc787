// The desktop app's main process: one window, the native menu, the API over IPC and the trainer in
// Electron's utility processes. The logic lives in small modules next to this one, testable in Node.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  nativeTheme,
  protocol,
  session,
  shell,
  utilityProcess,
} from 'electron';
import { MENU_CHANNEL, type MenuCommand } from '../../shared/api/wire';
import { createHandlers } from '../services/api/handlers';
import { appRoot } from '../services/paths';
import { RunManager } from '../services/runManager';
import { openStorage, type Storage } from '../services/storage';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, APP_URL, appResponse, isAppUrl } from './appProtocol';
import { ChosenFolders, registerFolderDialog } from './folderDialog';
import { eventForwarder, registerIpc, type InvokeEventLike } from './ipc';
import { menuTemplate } from './menu';
import { hardenContents, hardenSession } from './security';
import { utilityTrainerSpawner } from './trainerSpawn';
import { createMainWindow, quitConfirmation } from './window';

interface Services {
  storage: Storage;
  runs: RunManager;
  unregister: () => void;
}

const preloadPath = fileURLToPath(new URL('./preload.cjs', import.meta.url));
const staticDir = join(appRoot(), 'dist', 'renderer');

let mainWindow: BrowserWindow | null = null;
let services: Services | null = null;
let stopTrainingConfirmed = false;

// Before `ready`: every renderer sandboxed, and the app's own scheme known as a secure origin.
app.enableSandbox();
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

/** Asks once before a quit or close would end training; true when it may go ahead. */
function mayStopTraining(): boolean {
  const active = services?.runs.activeRuns().length ?? 0;
  if (active === 0 || stopTrainingConfirmed) return true;
  const options = quitConfirmation(active);
  const choice = mainWindow
    ? dialog.showMessageBoxSync(mainWindow, options)
    : dialog.showMessageBoxSync(options);
  stopTrainingConfirmed = choice === 0;
  return stopTrainingConfirmed;
}

/** Only https: URLs get here (externalUrl in security.ts), so the user's browser opens nothing else. */
function openInBrowser(url: string): void {
  void shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK
}

/** The system's folder dialog over the app's window; the chosen folder, or null when cancelled. */
async function showFolderDialog(): Promise<string | null> {
  const options = { properties: ['openDirectory' as const] };
  const answer = mainWindow
    ? await dialog.showOpenDialog(mainWindow, options)
    : await dialog.showOpenDialog(options);
  return answer.canceled ? null : (answer.filePaths[0] ?? null);
}

function sendMenuCommand(command: MenuCommand): void {
  const target = BrowserWindow.getFocusedWindow() ?? mainWindow;
  if (target && !target.webContents.isDestroyed()) target.webContents.send(MENU_CHANNEL, command);
}

function createWindow(): BrowserWindow {
  const window = createMainWindow(preloadPath, nativeTheme.shouldUseDarkColors);
  window.on('close', (event) => {
    if (!mayStopTraining()) event.preventDefault();
  });
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  void window.loadURL(APP_URL);
  mainWindow = window;
  return window;
}

function openServices(): Services | null {
  let storage: Storage;
  try {
    storage = openStorage(join(app.getPath('userData'), 'workbench.db'));
  } catch (error) {
    dialog.showErrorBox(
      'Neural Workbench cannot open its database',
      error instanceof Error ? error.message : String(error),
    );
    return null;
  }
  const emit = eventForwarder(() => BrowserWindow.getAllWindows().map((w) => w.webContents));
  const runs = new RunManager({
    storage,
    spawn: utilityTrainerSpawner((entry) =>
      utilityProcess.fork(entry, [], { serviceName: 'Neural Workbench trainer' }),
    ),
    emit,
  });
  const chosen = new ChosenFolders();
  const handlers = createHandlers(
    { storage, runs, transport: 'electron', emit },
    { isChosenFolder: (path) => chosen.has(path) },
  );
  const isTrustedSender = (event: InvokeEventLike) =>
    event.senderFrame !== null && isAppUrl(event.senderFrame.url);
  const unregisterRequests = registerIpc(ipcMain, handlers, { isTrustedSender });
  const unregisterDialog = registerFolderDialog(ipcMain, showFolderDialog, chosen, { isTrustedSender });
  const unregister = () => {
    unregisterRequests();
    unregisterDialog();
  };
  return { storage, runs, unregister };
}

async function start(): Promise<void> {
  protocol.handle(APP_SCHEME, (request) => appResponse(request.url, staticDir));
  hardenSession(session.defaultSession);
  services = openServices();
  if (!services) {
    app.exit(1);
    return;
  }
  app.setAboutPanelOptions({ applicationName: 'Neural Workbench', applicationVersion: app.getVersion() });
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(menuTemplate({ platform: process.platform, send: sendMenuCommand })),
  );
  createWindow();
}

if (!app.requestSingleInstanceLock()) {
  // One app per database: a second start focuses the first one's window instead.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, openInBrowser));
  app.on('before-quit', (event) => {
    if (!mayStopTraining()) event.preventDefault();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (services && BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  app.on('will-quit', () => {
    if (!services) return;
    services.unregister();
    services.runs.dispose();
    services.storage.close();
    services = null;
  });
  app.whenReady().then(start, (error: unknown) => {
    dialog.showErrorBox(
      'Neural Workbench could not start',
      error instanceof Error ? error.message : String(error),
    );
    app.exit(1);
  });
}
