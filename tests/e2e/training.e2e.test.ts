// End to end: the real UI in Debian's Chromium, through the browser preview, against a real database
// and real training. Covers the Data, Training, Results and Runs views.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import {
  LARGE,
  SKIP_MESSAGE,
  addFromPalette,
  createEmptyProject,
  hasChromium,
  openPreset,
  screenshot,
  setNumberField,
  startApp,
  type AppSession,
} from './helpers';

if (!hasChromium) console.warn(SKIP_MESSAGE);

type Tab = 'Editor' | 'Data' | 'Training' | 'Results' | 'Runs';

/** Waits until the locator's text matches (playwright-core has no web-first assertions). */
async function expectText(locator: Locator, pattern: RegExp | string, timeout = 30_000): Promise<void> {
  await expect.poll(async () => (await textNow(locator)).trim(), { timeout }).toMatch(pattern);
}

async function visible(locator: Locator, timeout = 30_000): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout });
}

/** Epochs the Training view has plotted, from its accessible counter. */
async function plottedEpochs(page: Page): Promise<number> {
  const value = await page.getByTestId('plotted-epochs').first().getAttribute('data-epochs');
  return Number(value ?? 0);
}

async function waitForPlotted(page: Page, atLeast: number, timeout = 120_000): Promise<void> {
  await page.waitForFunction(
    (n) =>
      Number(document.querySelector('[data-testid="plotted-epochs"]')?.getAttribute('data-epochs') ?? 0) >= n,
    atLeast,
    { timeout },
  );
}

/** Switches the project's view and waits until it is the selected tab. */
async function openTab(page: Page, name: Tab): Promise<void> {
  await page.getByRole('tab', { name }).click();
  await expect.poll(() => page.getByRole('tab', { name }).getAttribute('aria-selected')).toBe('true');
}

async function setNumber(page: Page, label: string, value: string): Promise<void> {
  const field = page.getByRole('textbox', { name: label, exact: true });
  await field.fill(value);
  await expect.poll(() => field.inputValue()).toBe(value);
}

/** The locator's text now, or '' when it is not on the page (no auto-waiting). */
async function textNow(locator: Locator): Promise<string> {
  return (await locator.count()) > 0 ? ((await locator.first().textContent()) ?? '') : '';
}

/** Presses Train and waits until the run with this many epochs has completed; returns its id. */
async function trainToCompletion(page: Page, epochs: number): Promise<number> {
  const status = page.getByTestId('run-progress-text');
  const before = await textNow(status);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  const done = new RegExp(`^Run #(\\d+): ${epochs} of ${epochs} epochs`);
  await expect
    .poll(
      async () => {
        const text = await textNow(status);
        return text !== before && done.test(text);
      },
      { timeout: 180_000 },
    )
    .toBe(true);
  return Number(done.exec(await textNow(status))![1]);
}

/**
 * The housing scenario from the Data view on, for an open project whose network is the housing MLP:
 * choose the California housing dataset and its target, train `epochs` epochs, and read R² in the
 * Results view. The editor test calls it after building the network from blocks.
 */
export async function trainHousingAndReadR2(page: Page, epochs = 2): Promise<number> {
  await openTab(page, 'Data');
  await page.getByRole('combobox', { name: 'Dataset' }).click();
  await page.getByRole('option', { name: /California housing/i }).click();
  await expectText(page.getByRole('table', { name: 'Column statistics' }), /MedHouseVal/);
  const target = page.getByRole('combobox', { name: 'Target column' });
  if ((await target.inputValue()) !== 'MedHouseVal') {
    await target.click();
    await page.getByRole('option', { name: 'MedHouseVal', exact: true }).click();
  }
  await expect.poll(() => target.inputValue()).toBe('MedHouseVal');
  await expectText(page.getByTestId('target-summary'), /^Regression.*learned from 8 features$/);

  await openTab(page, 'Training');
  await setNumber(page, 'Epochs', String(epochs));
  await trainToCompletion(page, epochs);
  await expect.poll(() => plottedEpochs(page)).toBe(epochs);

  await openTab(page, 'Results');
  const r2 = page.getByTestId('metric-R²');
  await visible(r2);
  await visible(page.getByRole('img', { name: 'Predicted against actual values' }));
  return Number(await r2.textContent());
}

describe.runIf(hasChromium)('training, results and runs in the browser preview', () => {
  let app: AppSession;
  let page: Page;

  beforeAll(async () => {
    app = await startApp();
    page = app.page;
  });

  afterAll(async () => {
    await app?.close();
  });

  it('trains the wine preset for 3 epochs, plots them, lists the run and shows its confusion matrix', async () => {
    await openPreset(page, 'Wine type ANN');
    await openTab(page, 'Training');
    await visible(page.getByText('No runs yet'));
    await setNumber(page, 'Epochs', '3');

    const runId = await trainToCompletion(page, 3);
    await expect.poll(() => plottedEpochs(page)).toBe(3);
    await expectText(page.getByTestId('plotted-epochs'), '3 of 3 epochs plotted');
    await visible(page.getByRole('img', { name: 'Loss chart' }));
    await visible(page.getByRole('img', { name: 'Accuracy chart' }));
    await screenshot(page, 'training-after-1280x800');

    await openTab(page, 'Runs');
    const row = page.locator(`tr[data-run-id="${runId}"]`);
    await expectText(row, /Completed/);
    await expectText(row, /Adam · lr 0\.001 · batch 64 · 3 epochs/);
    await expectText(row, /accuracy \d+\.\d+ %/);

    await row.getByRole('button', { name: `Open results of run #${runId}` }).click();
    await expect
      .poll(() => page.getByRole('tab', { name: 'Results' }).getAttribute('aria-selected'))
      .toBe('true');
    await visible(page.getByRole('img', { name: 'Confusion matrix' }));
    const report = page.getByRole('table', { name: 'Classification report' });
    await expectText(report, /red.*white.*accuracy.*macro avg.*weighted avg/s);
    const accuracy = (await page.getByTestId('metric-Accuracy').textContent()) ?? '';
    expect(Number(accuracy.replace('%', '').trim())).toBeGreaterThan(90);
    await screenshot(page, 'results-1280x800');
    await page.setViewportSize(LARGE);
    await screenshot(page, 'results-1920x1080');
    await openTab(page, 'Training');
    await screenshot(page, 'training-after-1920x1080');
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 240_000);

  it('overlays an Adam run and an SGD run and marks the optimizer as the setting that differs', async () => {
    await openTab(page, 'Training');
    await page.getByRole('combobox', { name: 'Optimizer' }).selectOption('sgd');
    await setNumber(page, 'Learning rate', '0.05');
    const sgdRun = await trainToCompletion(page, 3);

    await openTab(page, 'Runs');
    await expect.poll(() => page.locator('tr[data-run-id]').count()).toBe(2);
    const ids = await page
      .locator('tr[data-run-id]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-run-id') ?? ''));
    for (const id of ids) await page.getByRole('checkbox', { name: `Select run #${id}` }).check();

    await visible(page.getByRole('img', { name: 'Loss curves of the selected runs' }));
    await expect
      .poll(async () =>
        ((await page.getByTestId('overlay-runs').getAttribute('data-runs')) ?? '').split(',').sort(),
      )
      .toEqual([...ids].sort());
    const table = page.getByRole('table', { name: 'Settings of the selected runs' });
    await expectText(table, new RegExp(`#${sgdRun} SGD`));
    const rows = (differs: boolean, label: string) =>
      table
        .locator(`tr[data-differs="${differs}"]`)
        .filter({ has: page.getByRole('cell', { name: new RegExp(`^${label}`) }) });
    await expect.poll(() => rows(true, 'Optimizer').count()).toBe(1);
    await expect.poll(() => rows(true, 'Learning rate').count()).toBe(1);
    await expect.poll(() => rows(false, 'Batch size').count()).toBe(1);
    await expect.poll(() => rows(false, 'Epochs').count()).toBe(1);
    await screenshot(page, 'runs-compare-1280x800');
  }, 240_000);

  it('finds the run still training after a reload and keeps showing its progress', async () => {
    await openTab(page, 'Training');
    await page.getByRole('combobox', { name: 'Optimizer' }).selectOption('adam');
    await setNumber(page, 'Learning rate', '0.0001');
    await setNumber(page, 'Batch size', '4');
    await setNumber(page, 'Epochs', '500');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await visible(page.getByRole('button', { name: 'Stop' }));
    await waitForPlotted(page, 2);
    await screenshot(page, 'training-during-1280x800');
    const beforeReload = await plottedEpochs(page);

    await page.reload();
    await expect
      .poll(() => page.getByRole('tab', { name: 'Training' }).getAttribute('aria-selected'))
      .toBe('true');
    const progress = page.getByTestId('run-progress-text');
    await expectText(progress, /Epoch \d+ of 500 · batch \d+ of \d+/);
    await visible(page.getByRole('progressbar', { name: 'Training progress' }));
    // The epochs trained before the reload are fetched again, from the first one on.
    await waitForPlotted(page, beforeReload, 30_000);
    expect(await page.getByTestId('plotted-epochs').getAttribute('data-first-epoch')).toBe('1');
    const afterReload = await plottedEpochs(page);
    // Progress keeps arriving over the new connection.
    await waitForPlotted(page, afterReload + 1);
    await page.setViewportSize(LARGE);
    await screenshot(page, 'training-during-1920x1080');
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.getByRole('button', { name: 'Stop' }).click();
    await expectText(progress, /^Run #\d+: \d+ of 500 epochs/, 60_000);
    await visible(page.getByText('Stopped', { exact: true }));
  }, 240_000);

  it('imports a CSV in the Data view: a bad file says why, a good one becomes the dataset', async () => {
    await page.goto(app.server.url);
    await createEmptyProject(page, 'Animals from a CSV');
    await openTab(page, 'Data');
    await visible(page.getByText(/No dataset yet/));
    const file = page.getByTestId('data-view').locator('input[type=file]');
    await file.setInputFiles({ name: 'header-only.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b\n') });
    await expectText(page.getByRole('alert'), /could not be imported.*no data rows/);

    let csv = 'height,weight,species\n';
    for (let i = 0; i < 120; i++)
      csv += `${150 + (i % 37)},${40 + ((i * 7) % 50)},${['cat', 'dog', 'bird'][i % 3]}\n`;
    await file.setInputFiles({ name: 'animals.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await expectText(
      page.getByTestId('target-summary'),
      /^Multi-class.*3 classes \(bird, cat, dog\).*2 features$/,
    );
    await expect.poll(() => page.getByRole('combobox', { name: 'Dataset' }).inputValue()).toMatch(/^animals/);
    expect(await page.getByRole('alert').count()).toBe(0);
  }, 120_000);

  it('builds the housing MLP, chooses the dataset and target, trains 2 epochs and shows R²', async () => {
    await page.goto(app.server.url);
    await createEmptyProject(page, 'Housing from blocks');
    await addFromPalette(page, 'Input');
    for (const units of [24, 12, 6]) {
      await addFromPalette(page, 'Dense');
      await setNumberField(page, 'Units', units);
      await addFromPalette(page, 'ReLU');
    }
    await addFromPalette(page, 'Dense');
    await setNumberField(page, 'Units', 1);
    await addFromPalette(page, 'Output');

    const r2 = await trainHousingAndReadR2(page, 2);
    expect(Number.isFinite(r2)).toBe(true);
    expect(r2).toBeLessThanOrEqual(1);
    expect(app.errors).toEqual([]);
  }, 300_000);
});
