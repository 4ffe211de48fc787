// End to end: the Results view's "Try it" panel in Debian's Chromium, through the browser preview:
// a short wine run answers a row typed in the form, a short digits run answers test images and a picture.
import { PNG } from 'pngjs';
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

/** Sets the epochs, presses Train and waits until the run has completed. */
async function train(page: Page, epochs: number): Promise<void> {
  await openTab(page, 'Training');
  const field = page.getByRole('textbox', { name: 'Epochs', exact: true });
  await field.fill(String(epochs));
  await expect.poll(() => field.inputValue()).toBe(String(epochs));
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect
    .poll(() => textNow(page.getByTestId('run-progress-text')), { timeout: 180_000 })
    .toMatch(new RegExp(`^Run #\\d+: ${epochs} of ${epochs} epochs`));
}

/** A PNG of a bright vertical bar on black, in colour and larger than the digits (about a "1"). */
function barPng(): Buffer {
  const png = new PNG({ width: 40, height: 30 });
  for (let y = 0; y < 30; y++)
    for (let x = 0; x < 40; x++) {
      const i = (y * 40 + x) * 4;
      const on = x >= 16 && x < 24 && y >= 3 && y < 27;
      png.data[i] = on ? 240 : 0;
      png.data[i + 1] = on ? 220 : 0;
      png.data[i + 2] = on ? 200 : 0;
      png.data[i + 3] = 255;
    }
  return PNG.sync.write(png);
}

describe.runIf(hasChromium)('trying a trained network in the Results view', () => {
  let app: AppSession;
  let page: Page;

  beforeAll(async () => {
    app = await startApp();
    page = app.page;
  });

  afterAll(async () => {
    await app?.close();
  });

  it('predicts the wine type of a test row typed into the form, with Enter and with the button', async () => {
    await openPreset(page, 'Wine type ANN');
    await train(page, 2);
    await openTab(page, 'Results');

    const panel = page.getByRole('region', { name: 'Try it' });
    const alcohol = panel.getByRole('textbox', { name: 'alcohol', exact: true });
    await alcohol.waitFor({ timeout: 60_000 });
    // Prefilled with the first test row, raw as in the file.
    expect(Number(await alcohol.inputValue())).toBeGreaterThan(5);
    expect(await panel.getByRole('textbox').count()).toBe(12);

    await alcohol.press('Enter');
    const predicted = panel.getByTestId('predicted-class');
    await expect.poll(() => textNow(predicted), { timeout: 30_000 }).toMatch(/^(red|white)$/);
    const bars = panel.getByRole('list', { name: 'Probability of each class' }).getByRole('listitem');
    expect(await bars.count()).toBe(2);
    const labels = await bars.evaluateAll((items) => items.map((i) => i.getAttribute('aria-label') ?? ''));
    expect(labels[0]).toMatch(/^red: (\d+\.\d %|< 0\.1 %)$/);
    expect(labels[1]).toMatch(/^white: (\d+\.\d %|< 0\.1 %)$/);
    await expect.poll(() => textNow(panel.getByTestId('try-it-result'))).toMatch(/True class: (red|white)/);
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, 'tryit-tabular-1280x800');

    // An empty field is said to be one before anything is asked.
    await alcohol.fill('');
    await panel.getByRole('button', { name: 'Predict' }).click();
    await panel.getByText('Enter a number.').waitFor();
    await alcohol.fill('13.5');
    await panel.getByRole('button', { name: 'Predict' }).click();
    await expect.poll(() => textNow(predicted), { timeout: 30_000 }).toMatch(/^(red|white)$/);
    expect(await panel.getByText('The values changed: press Predict again.').count()).toBe(0);
    expect(app.errors).toEqual([]);
  }, 300_000);

  it('answers a picked test digit and a dropped-in picture, resized to what the network sees', async () => {
    await page.goto(app.server.url);
    await openPreset(page, 'Digits CNN');
    await train(page, 2);
    await openTab(page, 'Results');

    const panel = page.getByRole('region', { name: 'Try it' });
    const grid = panel.getByRole('group', { name: /^Test images 1 to 24, by true class$/ });
    await grid.waitFor({ timeout: 60_000 });
    expect(await grid.getByRole('button').count()).toBe(24);
    await expect.poll(() => textNow(panel.getByTestId('try-it-page'))).toBe('1–24 of 360');

    const third = grid.getByRole('button', { name: /^Image 3: \d$/ });
    await third.click();
    expect(await third.getAttribute('aria-pressed')).toBe('true');
    const predicted = panel.getByTestId('predicted-class');
    await expect.poll(() => textNow(predicted), { timeout: 30_000 }).toMatch(/^\d$/);
    expect(
      await panel.getByRole('list', { name: 'Probability of each class' }).getByRole('listitem').count(),
    ).toBe(10);
    const trueClass = (await third.getAttribute('aria-label'))!.slice(-1);
    await expect
      .poll(() => textNow(panel.getByTestId('try-it-result')))
      .toMatch(new RegExp(`True class: ${trueClass} \\((right|wrong)\\)`));
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, 'tryit-image-1280x800');

    await panel.getByRole('button', { name: 'Other images' }).click();
    await expect.poll(() => textNow(panel.getByTestId('try-it-page'))).toBe('25–48 of 360');

    const file = panel.locator('input[type=file]');
    await file.setInputFiles({ name: 'bar.png', mimeType: 'image/png', buffer: barPng() });
    await panel.getByRole('img', { name: 'Your picture bar.png' }).waitFor();
    await panel.getByRole('img', { name: 'Your picture as the network sees it, 8×8 pixels, grey' }).waitFor();
    await expect.poll(() => textNow(predicted), { timeout: 30_000 }).toMatch(/^\d$/);
    await screenshot(page, 'tryit-upload-1280x800');

    await file.setInputFiles({
      name: 'notes.png',
      mimeType: 'image/png',
      buffer: Buffer.from('not a picture'),
    });
    await expect
      .poll(() => textNow(panel.getByRole('alert')), { timeout: 30_000 })
      .toMatch(/notes\.png cannot be read as an image .*give a JPEG or PNG file/);
    expect(app.errors).toEqual([]);
  }, 300_000);
});
