// End to end: an image project in the real UI: the Data view's sample grid and augmentation, a short
// training run, and the Results view's gallery of misclassified test images.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { SKIP_MESSAGE, hasChromium, openPreset, screenshot, startApp, type AppSession } from './helpers';

if (!hasChromium) console.warn(SKIP_MESSAGE);

type Tab = 'Editor' | 'Data' | 'Training' | 'Results' | 'Runs';

async function openTab(page: Page, name: Tab): Promise<void> {
  await page.getByRole('tab', { name }).click();
  await expect.poll(() => page.getByRole('tab', { name }).getAttribute('aria-selected')).toBe('true');
}

async function textNow(locator: Locator): Promise<string> {
  return (await locator.count()) > 0 ? ((await locator.first().textContent()) ?? '') : '';
}

/** The sample grid's tile count and accessible name, once it is on the page. */
async function sampleGrid(page: Page): Promise<{ count: number; label: string }> {
  const grid = page.getByTestId('sample-grid').getByRole('img');
  await grid.waitFor({ state: 'visible', timeout: 60_000 });
  return {
    count: Number(await grid.getAttribute('data-tile-count')),
    label: (await grid.getAttribute('aria-label')) ?? '',
  };
}

describe.runIf(hasChromium)('image datasets in the Data and Results views', () => {
  let app: AppSession;
  let page: Page;

  beforeAll(async () => {
    app = await startApp();
    page = app.page;
  });

  afterAll(async () => {
    await app?.close();
  });

  it('shows 16 digit samples, augments them, trains 2 epochs and shows the misclassified digits', async () => {
    await openPreset(page, 'Digits CNN');
    await openTab(page, 'Data');

    const plain = await sampleGrid(page);
    expect(plain.count).toBe(16);
    expect(plain.label).toMatch(/^16 training images: (\d, ){15}\d$/);
    await expect
      .poll(() => textNow(page.getByTestId('image-facts')), { timeout: 30_000 })
      .toMatch(/8×8 pixels, grey.*10 classes/s);
    // The canvases really hold the digits: not every pixel of the first tile is black.
    const lit = await page
      .getByTestId('sample-grid')
      .locator('canvas')
      .first()
      .evaluate((c: HTMLCanvasElement) => {
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i]! > 0) n++;
        return n;
      });
    expect(lit).toBeGreaterThan(0);

    // Crop padding writes into the document; the augmented view asks the host again with it.
    const padding = page.getByRole('textbox', { name: 'Crop padding' });
    await padding.fill('2');
    await padding.blur();
    await expect.poll(() => padding.inputValue()).toBe('2 px');
    await page.getByRole('switch', { name: 'Show as augmented for training' }).check();
    await expect
      .poll(async () => (await sampleGrid(page)).label, { timeout: 30_000 })
      .toMatch(/^16 training images, as augmented for training: /);
    await expect.poll(() => page.getByTestId('sample-grid').getAttribute('data-augmented')).toBe('true');
    expect((await sampleGrid(page)).count).toBe(16);
    await page.getByTestId('sample-grid').scrollIntoViewIfNeeded();
    await screenshot(page, 'images-data-1280x800');

    await openTab(page, 'Training');
    const epochs = page.getByRole('textbox', { name: 'Epochs', exact: true });
    await epochs.fill('2');
    await expect.poll(() => epochs.inputValue()).toBe('2');
    const status = page.getByTestId('run-progress-text');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await expect.poll(() => textNow(status), { timeout: 180_000 }).toMatch(/^Run #\d+: 2 of 2 epochs/);

    await openTab(page, 'Results');
    await page.getByRole('img', { name: 'Accuracy by class' }).waitFor({ timeout: 60_000 });
    const count = page.getByTestId('misclassified-count');
    await expect
      .poll(() => textNow(count), { timeout: 60_000 })
      .toMatch(/^\d+ of 3\d\d test images misclassified/);
    const total = Number(/^(\d+)/.exec(await textNow(count))![1]);
    const gallery = page.getByTestId('misclassified-gallery');
    if (total > 0) {
      const grid = gallery.getByRole('img');
      expect(Number(await grid.getAttribute('data-tile-count'))).toBe(Math.min(24, total));
      expect(await grid.getAttribute('aria-label')).toMatch(
        /misclassified test images, true class → predicted class: \d → \d/,
      );
      await gallery.scrollIntoViewIfNeeded();
    } else {
      await gallery.getByText('The network classified every test image correctly.').waitFor();
    }
    await screenshot(page, 'images-results-1280x800');
    expect(app.errors).toEqual([]);
  }, 300_000);
});
