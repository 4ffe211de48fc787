import { BrowserWindow } from 'electron';

/**
 * The one app window: 1280×800, no smaller than 960×640, shown once its first paint is ready. The
 * options are written out here, not built by a function, so electronegativity can read them.
 */
export function createMainWindow(preload: string, dark: boolean): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'Neural Workbench',
    // Mantine's page colours, so the window does not flash white in dark mode before the first paint.
    backgroundColor: dark ? '#242424' : '#ffffff',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      // A middle click would ask for a new window: refused anyway, so never start one.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  window.once('ready-to-show', () => window.show());
  return window;
}

/** Why a quit waits for the user: training runs would end as interrupted. */
export function quitConfirmation(activeRuns: number) {
  return {
    type: 'question' as const,
    buttons: ['Stop training and quit', 'Keep training'],
    defaultId: 1,
    cancelId: 1,
    title: 'Neural Workbench',
    message: activeRuns === 1 ? 'A network is still training.' : `${activeRuns} networks are still training.`,
    detail: 'If you quit now, the run stops and keeps the epochs it has finished, marked as interrupted.',
  };
}
