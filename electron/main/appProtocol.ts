import { readFile } from 'node:fs/promises';
import { contentSecurityPolicy, securityHeaders } from '../server/contentSecurity';
import { contentType, resolveStaticFile } from '../server/staticFiles';

/** The renderer is served from its own origin, `nwb://app`, rather than file:// (where 'self' means little). */
export const APP_SCHEME = 'nwb';
export const APP_HOST = 'app';
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** The scheme's privileges: registered before `ready`, as Electron requires. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
} as const;

/** True for a page of the app itself (the only pages that may call the API). */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

/** The policy of the desktop app's pages: like the preview's, without the socket. */
export const APP_CSP = contentSecurityPolicy();

/** Answers one request of the app's scheme from the built renderer folder. */
export async function appResponse(url: string, staticDir: string): Promise<Response> {
  const headers = securityHeaders(APP_CSP);
  const notFound = () =>
    new Response('Not found.', { status: 404, headers: { ...headers, 'Content-Type': 'text/plain' } });
  if (!isAppUrl(url)) return notFound();
  const file = resolveStaticFile(staticDir, new URL(url).pathname);
  if (!file) return notFound();
  try {
    const body = await readFile(file);
    return new Response(new Uint8Array(body), {
      status: 200,
      headers: { ...headers, 'Content-Type': contentType(file) },
    });
  } catch {
    return notFound();
  }
}
