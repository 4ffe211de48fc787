import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DESKTOP,
  LARGE,
  SKIP_MESSAGE,
  addFromPalette,
  block,
  chooseOption,
  connectBlocks,
  createEmptyProject,
  dropFromPalette,
  hasChromium,
  openPreset,
  screenshot,
  selectBlock,
  setNumberField,
  startApp,
  statusBar,
  waitSaved,
  type AppSession,
} from './helpers';

if (!hasChromium) console.warn(SKIP_MESSAGE);

describe.skipIf(!hasChromium)('editor, end to end in Chromium', () => {
  let app: AppSession;

  beforeAll(async () => {
    app = await startApp({ viewport: DESKTOP });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('builds the housing MLP from an empty project: 601 parameters, kept after a reload', async () => {
    const { page } = app;
    await createEmptyProject(page, 'Housing from scratch');
    await expect.poll(() => statusBar(page).textContent()).toContain('Total: 0 parameters');

    // Input 8 → Dense 24 → ReLU → Dense 12 → ReLU → Dense 6 → ReLU → Dense 1, each added after the last.
    await addFromPalette(page, 'Input');
    await setNumberField(page, 'Features', 8);
    const layers: [string, number | null][] = [
      ['Dense', 24],
      ['ReLU', null],
      ['Dense', 12],
      ['ReLU', null],
      ['Dense', 6],
      ['ReLU', null],
      ['Dense', 1],
    ];
    for (const [label, units] of layers) {
      await addFromPalette(page, label);
      if (units !== null) await setNumberField(page, 'Units', units);
    }
    await block(page, 'Dense', 'dense1').waitFor();
    expect(await block(page, 'Dense', 'dense1').getAttribute('aria-label')).toBe(
      'Dense block dense1: output 24, 216 parameters',
    );
    await expect
      .poll(() => block(page, 'Dense', 'dense4').getAttribute('aria-label'))
      .toBe('Dense block dense4: output 1, 7 parameters');

    // The Output is dragged onto the canvas and connected by drawing between the handles.
    await dropFromPalette(page, 'Output', { x: 0.75, y: 0.5 });
    await block(page, 'Output', 'output1').waitFor();
    await connectBlocks(page, 'dense4', 'output1');
    await expect
      .poll(() => block(page, 'Output', 'output1').getAttribute('aria-label'))
      .toBe('Output block output1: output 1, 0 parameters');
    await expect.poll(() => statusBar(page).textContent()).toContain('Total: 601 parameters');
    expect(await statusBar(page).textContent()).toContain('Ready to train');
    await page.getByRole('button', { name: 'Auto-layout' }).click();
    await page.getByRole('button', { name: 'Fit view' }).click();

    // Undo takes the layout and then the connection away; redo brings both back.
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');
    await expect.poll(() => statusBar(page).textContent()).not.toContain('Ready to train');
    await page.keyboard.press('Control+Shift+z');
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => statusBar(page).textContent()).toContain('Ready to train');

    await waitSaved(page);
    await page.waitForTimeout(300);
    await screenshot(page, 'editor-housing-1280x800');
    await page.setViewportSize(LARGE);
    await page.keyboard.press('f');
    await page.waitForTimeout(400);
    await screenshot(page, 'editor-housing-1920x1080');
    await page.setViewportSize(DESKTOP);

    await page.reload();
    await expect
      .poll(() => statusBar(page).textContent(), { timeout: 20_000 })
      .toContain('Total: 601 parameters');
    expect(await block(page, 'Dense', 'dense2').getAttribute('aria-label')).toBe(
      'Dense block dense2: output 12, 300 parameters',
    );
  });

  it('shows a shape error on the block that causes it and clears it after the fix', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Back to projects' }).click();
    await createEmptyProject(page, 'Image shapes');
    await addFromPalette(page, 'Input');
    await chooseOption(page, 'Data', 'Image');
    await addFromPalette(page, 'Dense');
    const dense = block(page, 'Dense', 'dense1');
    await expect.poll(() => dense.getAttribute('aria-label')).toMatch(/Problem: .*insert a Flatten/);
    // Shown on the block itself and listed in the issues panel.
    expect(await dense.locator('.nwb-node-error').textContent()).toContain(
      'insert a Flatten block before it',
    );
    const issues = page.getByRole('region', { name: 'Issues' });
    expect(await issues.getByRole('button', { name: /Dense dense1: .*insert a Flatten/ }).count()).toBe(1);
    // The other blocks have no error of their own.
    expect(await block(page, 'Input', 'input1').getAttribute('aria-label')).toBe(
      'Input block input1: output 32×32×3, 0 parameters',
    );
    await screenshot(page, 'editor-shape-error-1280x800');

    // The fix: select the Input and insert a Flatten after it.
    await selectBlock(page, 'Input', 'input1');
    await addFromPalette(page, 'Flatten');
    await expect
      .poll(() => dense.getAttribute('aria-label'))
      .toBe('Dense block dense1: output 64, 196,672 parameters');
    expect(await page.locator('.nwb-node-error').count()).toBe(0);
    expect(await issues.getByText(/insert a Flatten/).count()).toBe(0);
  });

  it('refuses a second input into a block and says why', async () => {
    const { page } = app;
    await dropFromPalette(page, 'Dense', { x: 0.8, y: 0.2 });
    await block(page, 'Dense', 'dense2').waitFor();
    await connectBlocks(page, 'dense2', 'dense1');
    const alert = page.getByRole('alert').filter({ hasText: 'already has an input' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain(
      'Dense (dense1) already has an input: delete that connection first',
    );
    expect(await block(page, 'Dense', 'dense1').getAttribute('aria-label')).toMatch(
      /^Dense block dense1: output 64,/,
    );
  });

  it('deletes, copies and pastes blocks with the keyboard', async () => {
    const { page } = app;
    await selectBlock(page, 'Dense', 'dense2');
    await page.keyboard.press('Delete');
    await expect.poll(() => block(page, 'Dense', 'dense2').count()).toBe(0);
    await selectBlock(page, 'Dense', 'dense1');
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await block(page, 'Dense', 'dense2').waitFor();
    await page.keyboard.press('Control+z');
    await expect.poll(() => block(page, 'Dense', 'dense2').count()).toBe(0);
  });

  it('renames a project from the header, exports it and imports the file back', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Rename project Image shapes' }).click();
    const name = page.getByRole('textbox', { name: 'Project name' });
    await name.fill('Image shapes renamed');
    await name.press('Enter');
    await page.getByRole('button', { name: 'Rename project Image shapes renamed' }).waitFor();

    await page.getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Export project file…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export project file' });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Export' }).click(),
    ]);
    const file = await download.path();
    expect(download.suggestedFilename()).toMatch(/\.nwb$|\.json$/);

    await page.getByRole('button', { name: 'Back to projects' }).click();
    await page.getByLabel('Project file to import').setInputFiles({
      name: download.suggestedFilename(),
      mimeType: 'application/octet-stream',
      buffer: readFileSync(file),
    });
    await page.getByRole('application', { name: 'Network canvas' }).waitFor();
    await expect
      .poll(() => block(page, 'Dense', 'dense1').getAttribute('aria-label'))
      .toBe('Dense block dense1: output 64, 196,672 parameters');
  });

  it('renames, duplicates and deletes projects on the start screen', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Back to projects' }).click();
    const list = page.getByRole('table', { name: 'Recent projects' });
    await list.waitFor();
    await page.getByRole('button', { name: 'More actions for Housing from scratch' }).click();
    await page.getByRole('menuitem', { name: 'Duplicate' }).click();
    await list.getByText('Copy of Housing from scratch').waitFor();

    await page.getByRole('button', { name: 'More actions for Copy of Housing from scratch' }).click();
    await page.getByRole('menuitem', { name: 'Rename…' }).click();
    const rename = page.getByRole('dialog', { name: 'Rename project' });
    await rename.getByLabel('New name').fill('Housing, second try');
    await rename.getByRole('button', { name: 'Rename' }).click();
    await list.getByText('Housing, second try').waitFor();

    await page.getByRole('button', { name: 'More actions for Housing, second try' }).click();
    await page.getByRole('menuitem', { name: 'Delete…' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete project' });
    await confirm.getByRole('button', { name: 'Delete project' }).click();
    await expect.poll(() => list.getByText('Housing, second try').count()).toBe(0);
    expect(await list.getByText('Housing from scratch').count()).toBe(1);
  });

  it('opens a preset and shows it laid out, light and dark', async () => {
    const { page } = app;
    const back = page.getByRole('button', { name: 'Back to projects' });
    if ((await back.count()) > 0) await back.click();
    await screenshot(page, 'start-screen-1280x800');
    await openPreset(page, 'California housing MLP');
    await expect.poll(() => statusBar(page).textContent()).toContain('Total: 601 parameters');
    await selectBlock(page, 'Dense', 'layer1');
    await page.waitForTimeout(300);
    await screenshot(page, 'editor-preset-1280x800');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForTimeout(300);
    await screenshot(page, 'editor-preset-dark-1280x800');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(app.errors).toEqual([]);
  });
});
