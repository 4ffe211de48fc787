import type { Session, WebContents } from 'electron';
import { APP_CSP, isAppUrl } from './appProtocol';

/** The only permission a page gets: writing to the clipboard (copy of blocks), and only the app's own page. */
export function permissionAllowed(permission: string, requestingUrl: string): boolean {
  return permission === 'clipboard-sanitized-write' && isAppUrl(requestingUrl);
}

/** Links to the web open in the user's browser; everything else a page tries to open is dropped. */
export function externalUrl(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** The file type filter of the save dialog Electron shows for a download (project exports). */
export function saveDialogFilters(fileName: string): { name: string; extensions: string[] }[] {
  return fileName.toLowerCase().endsWith('.nwb')
    ? [{ name: 'Neural Workbench project', extensions: ['nwb'] }]
    : [];
}

/** Denies every permission but one, adds the CSP to every response, and names the export's file type. */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((contents, permission, callback) =>
    callback(permissionAllowed(permission, contents.getURL())),
  );
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    permissionAllowed(permission, requestingOrigin),
  );
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [APP_CSP] } });
  });
  session.on('will-download', (_event, item) => {
    item.setSaveDialogOptions({ title: 'Save', filters: saveDialogFilters(item.getFilename()) });
  });
}

/** No navigation away from the app, no new windows, no <webview>; https links go to the browser. */
export function hardenContents(contents: WebContents, openExternal: (url: string) => void): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const external = externalUrl(url);
    if (external) openExternal(external);
    return { action: 'deny' };
  });
}
