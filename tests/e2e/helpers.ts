// Shared e2e helpers: a preview server on a fresh database, Debian's Chromium through playwright-core,
// and small steps the editor and view tests have in common.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { startPreviewServer, type PreviewServer } from '../../electron/server/previewServer';

export const CHROMIUM_PATH = '/usr/bin/chromium';
/** False where Chromium is not installed: e2e suites skip, saying so. */
export const hasChromium = existsSync(CHROMIUM_PATH);
export const SKIP_MESSAGE = `Skipping end-to-end tests: ${CHROMIUM_PATH} is missing (install it with apt-get install -y chromium).`;

const root = fileURLToPath(new URL('../..', import.meta.url));
export const rendererDir = join(root, 'dist/renderer');
export const screenshotDir = join(root, 'screenshots');

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface Viewport {
  width: number;
  height: number;
}

export const DESKTOP: Viewport = { width: 1280, height: 800 };
export const LARGE: Viewport = { width: 1920, height: 1080 };

export interface AppSession {
  server: PreviewServer;
  browser: Browser;
  page: Page;
  /** The database the server uses (a fresh one in a temporary folder unless one was given). */
  dbPath: string;
  /** Page errors and console errors seen so far, for tests to assert there are none. */
  errors: string[];
  /** A second page on the same server (a reload-proof view, a second window). */
  newPage(viewport?: Viewport): Promise<Page>;
  close(): Promise<void>;
}

/** Throws, saying what to do, when the renderer has not been built. */
export function requireBuiltRenderer(): void {
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`The renderer is not built (${rendererDir} is missing): run \`npm run build\` first.`);
  }
}

async function openPage(browser: Browser, url: string, viewport: Viewport, errors: string[]): Promise<Page> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, acceptDownloads: true });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console error: ${m.text()}`);
  });
  await page.goto(url);
  await page.getByRole('heading', { name: 'Neural Workbench' }).or(page.locator('header')).first().waitFor();
  return page;
}

/** Starts the preview on a fresh database and opens its token URL in Chromium. */
export async function startApp(options: { viewport?: Viewport; dbPath?: string } = {}): Promise<AppSession> {
  requireBuiltRenderer();
  const dir = options.dbPath ? null : mkdtempSync(join(tmpdir(), 'nwb-e2e-'));
  const dbPath = options.dbPath ?? join(dir!, 'workbench.db');
  const server = await startPreviewServer({ port: 0, dbPath, staticDir: rendererDir });
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: chromiumArgs, headless: true });
    const errors: string[] = [];
    const page = await openPage(browser, server.url, options.viewport ?? DESKTOP, errors);
    const b = browser;
    return {
      server,
      browser: b,
      page,
      dbPath,
      errors,
      newPage: (viewport = DESKTOP) => openPage(b, server.url, viewport, errors),
      async close() {
        await b.close().catch(() => undefined);
        await server.close();
        if (dir) rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await browser?.close().catch(() => undefined);
    await server.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Saves a PNG of the page under screenshots/ (git-ignored) and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

// ---- steps ----

/** From the start screen: creates an empty project and waits for its editor. */
export async function createEmptyProject(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'New empty project' }).click();
  const dialog = page.getByRole('dialog', { name: 'New empty project' });
  await dialog.getByLabel('Project name').fill(name);
  await dialog.getByRole('button', { name: 'Create project' }).click();
  await page.getByRole('button', { name: `Rename project ${name}` }).waitFor();
  await page.getByRole('application', { name: 'Network canvas' }).waitFor();
}

/** From the start screen: opens a preset as a new project and waits for its editor. */
export async function openPreset(page: Page, presetName: string): Promise<void> {
  await page.getByRole('button', { name: `Open preset ${presetName}` }).click();
  await page.getByRole('application', { name: 'Network canvas' }).waitFor();
}

/** Switches the project's view (Editor, Data, Training, Results, Runs). */
export async function openTab(
  page: Page,
  name: 'Editor' | 'Data' | 'Training' | 'Results' | 'Runs',
): Promise<void> {
  await page.getByRole('tab', { name }).click();
}

/** A block on the canvas, by its accessible name ("Dense block dense1: output 24, 216 parameters"). */
export function block(page: Page, kind: string, name: string): Locator {
  return page.getByRole('group', { name: new RegExp(`^${kind} block ${name}:`) });
}

/** Clicks a palette entry: the block goes after the selected one and becomes selected. */
export async function addFromPalette(page: Page, label: string): Promise<void> {
  await page.getByRole('button', { name: `Add ${label}`, exact: true }).click();
}

/** Drags a palette entry onto the canvas at a point given as fractions of the canvas's size. */
export async function dropFromPalette(
  page: Page,
  label: string,
  at: { x: number; y: number },
): Promise<void> {
  const canvas = page.getByRole('application', { name: 'Network canvas' });
  const box = await canvas.boundingBox();
  if (!box) throw new Error('The canvas is not on screen.');
  await page
    .getByRole('button', { name: `Add ${label}`, exact: true })
    .dragTo(canvas, { targetPosition: { x: box.width * at.x, y: box.height * at.y } });
}

/** Selects a block by clicking it. */
export async function selectBlock(page: Page, kind: string, name: string): Promise<void> {
  await block(page, kind, name).locator('.nwb-node-kind').click();
}

/** Sets a number field of the selected block in the inspector. */
export async function setNumberField(page: Page, label: string, value: number): Promise<void> {
  const field = page
    .getByRole('complementary', { name: 'Block inspector' })
    .getByRole('textbox', { name: label });
  await field.fill(String(value));
  await field.blur();
}

/** Chooses an option of a select field of the selected block in the inspector. */
export async function chooseOption(page: Page, label: string, option: string): Promise<void> {
  await page
    .getByRole('complementary', { name: 'Block inspector' })
    .getByLabel(label, { exact: true })
    .click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** Draws a connection from one block's output handle to another's input handle with the mouse. */
export async function connectBlocks(page: Page, fromId: string, toId: string): Promise<void> {
  const from = page.locator(`.react-flow__handle.source[data-nodeid="${fromId}"]`);
  const to = page.locator(`.react-flow__handle.target[data-nodeid="${toId}"]`);
  const a = await from.boundingBox();
  const b = await to.boundingBox();
  if (!a || !b) throw new Error(`The handles of ${fromId} or ${toId} are not on screen.`);
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  // In steps, so that React Flow sees a drag and snaps to the handle.
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
  await page.mouse.up();
}

/** The editor's status bar text ("Total: 601 parameters …"). */
export function statusBar(page: Page): Locator {
  return page.getByRole('status', { name: 'Network summary' });
}

/** Waits until the header says every change is saved. */
export async function waitSaved(page: Page): Promise<void> {
  await page.getByRole('status', { name: 'All changes saved' }).waitFor();
}
