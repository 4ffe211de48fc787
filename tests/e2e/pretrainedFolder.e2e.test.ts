import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportModel } from '../../electron/services/export/modelExport';
import type { Storage } from '../../electron/services/storage';
import { presetWith, recordRun, tempDir, tempStorage } from '../fixtures/pretrained/trainRun';
import {
  DESKTOP,
  addFromPalette,
  createEmptyProject,
  hasChromium,
  screenshot,
  startApp,
  type AppSession,
} from './helpers';

describe.runIf(hasChromium)('the Pretrained block’s model folder, in the browser preview', () => {
  let app: AppSession;
  let storage: Storage;
  let modelDir: string;

  beforeAll(async () => {
    storage = tempStorage();
    const { runId } = await recordRun(storage, presetWith('wine-type-ann', { epochs: 1 }));
    modelDir = join(tempDir(), 'wine-model');
    exportModel(storage, runId, modelDir);
    app = await startApp({ viewport: DESKTOP });
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    storage?.close();
  });

  it('reads a typed folder into the block (shapes and parameters), and says why another is refused', async () => {
    const { page } = app;
    await createEmptyProject(page, 'Transfer from wine');
    await addFromPalette(page, 'Pretrained model');
    const inspector = page.getByRole('complementary', { name: 'Block inspector' });
    const path = inspector.getByRole('textbox', { name: 'Folder path' });

    await path.fill(join(modelDir, '..', 'no-model-here'));
    await inspector.getByRole('button', { name: 'Read' }).click();
    await expect.poll(() => inspector.getByRole('alert').textContent()).toMatch(/Cannot use this folder/);

    await path.fill(modelDir);
    await path.press('Enter');
    const facts = inspector.getByLabel('Model folder facts');
    await expect.poll(() => facts.textContent()).toMatch(/^wine-model: .*12.* → .*1.*, 897 parameters$/);
    expect(await inspector.getByRole('alert').count()).toBe(0);
    await screenshot(page, 'editor-pretrained-folder-1280x800');
    expect(app.errors).toEqual([]);
  });
});
