// Issue #6 must-show 4 and issue #10: a tiny model trains on the small synthetic study; the loss chart and
// the epoch table grow while it runs, and Stop ends the run (state cancelled) keeping its finished epochs;
// only then is Resume offered, and it continues the run. The form shows the labeled scans per class the run
// will use (checked against the API), proposes a fresh run id for every start and refuses a used one. A
// finished run is listed as a model whose weights export and import back.

import path from 'node:path';
import type { APIRequestContext, Page } from '@playwright/test';
import { SCREENSHOTS, expect, server, test } from './fixtures.js';

/** The form's settings for a quick tiny run. */
async function fillForm(app: Page, values: Readonly<Record<string, string>>): Promise<void> {
  const panel = app.getByTestId('train-panel');
  await panel.locator('select[name="model"]').selectOption('tiny');
  for (const [name, value] of Object.entries(values))
    await panel.locator(`input[name="${name}"]`).fill(value);
}

async function openTrain(app: Page): Promise<void> {
  await expect(app.locator('body[data-ready="true"]')).toBeAttached({ timeout: 15_000 });
  await app.getByRole('tab', { name: 'Train' }).click();
}

async function labelCounts(request: APIRequestContext): Promise<Record<string, number>> {
  const res = await request.get(`${server().url}/api/datastore`, {
    headers: { 'x-voxlab-token': server().token },
  });
  expect(res.ok()).toBe(true);
  const counts: Record<string, number> = {};
  for (const image of (await res.json()) as { label: string | null }[])
    if (image.label !== null) counts[image.label] = (counts[image.label] ?? 0) + 1;
  return counts;
}

test('training: the chart updates while it runs; stop, then Resume (offered for the stopped run) continues it', async ({
  app,
}) => {
  test.setTimeout(180_000);
  await openTrain(app);
  await expect(app.getByTestId('train-resume')).toHaveCount(0); // nothing stopped yet
  await fillForm(app, {
    epochs: '200',
    inputSize: '16',
    batchSize: '2',
    learningRate: '0.003',
    valFraction: '0.25',
    valInterval: '1',
    seed: '5',
  });
  await app.getByTestId('train-start').click();
  await expect(app.getByTestId('train-status')).toHaveAttribute('data-state', 'running');
  const rows = app.getByTestId('epoch-table').locator('tbody tr');
  await expect(rows.first()).toBeVisible({ timeout: 60_000 });
  const lossPoints = () => app.getByTestId('chart-loss').locator('circle').count();
  const first = await lossPoints();
  expect(first).toBeGreaterThan(0);
  await expect(app.getByTestId('chart-loss')).toContainText('epoch'); // axis titles
  await expect(app.getByTestId('chart-accuracy')).toContainText('accuracy / AUC');
  await expect(app.getByTestId('epoch-table').locator('thead')).toContainText(/Val acc\s*n = \d+/); // validation size
  await app.screenshot({ path: path.join(SCREENSHOTS, 'training-1-running.png') });
  await expect.poll(lossPoints, { timeout: 60_000 }).toBeGreaterThan(first); // the chart grows
  await expect(rows.nth(1)).toBeVisible();
  await expect(app.getByTestId('train-resume')).toHaveCount(0); // not while it runs
  await app.getByTestId('train-stop').click();
  await expect(app.getByTestId('train-status')).toHaveAttribute('data-state', 'cancelled', {
    timeout: 60_000,
  });
  const kept = await rows.count();
  expect(kept).toBeGreaterThanOrEqual(2);
  expect(kept).toBeLessThan(200);
  await expect(app.getByTestId('train-start')).toBeEnabled();
  const resume = app.getByTestId('train-resume');
  await expect(resume).toBeVisible({ timeout: 15_000 }); // offered once the run is listed as stopped
  await app.screenshot({ path: path.join(SCREENSHOTS, 'training-2-stopped.png') });
  await resume.click();
  await expect(app.getByTestId('train-status')).toHaveAttribute('data-state', 'running');
  await expect.poll(() => rows.count(), { timeout: 60_000 }).toBeGreaterThan(kept); // it continues after the kept epochs
  await expect(app.getByTestId('train-resume')).toHaveCount(0);
  await app.getByTestId('train-stop').click();
  await expect(app.getByTestId('train-status')).toHaveAttribute('data-state', 'cancelled', {
    timeout: 60_000,
  });
  await app.getByTestId('epoch-table').scrollIntoViewIfNeeded();
  await app.screenshot({ path: path.join(SCREENSHOTS, 'training-3-resumed-and-stopped.png') });
  await app.getByTestId('chart-loss').scrollIntoViewIfNeeded();
  await app.screenshot({ path: path.join(SCREENSHOTS, 'training-3b-charts.png') });
});

test('the form: labeled scans per class, a fresh run id per start, a used id refused, no Resume for a finished run', async ({
  app,
  request,
}) => {
  test.setTimeout(180_000);
  await openTrain(app);
  const counts = await labelCounts(request);
  expect(Object.keys(counts).length).toBeGreaterThanOrEqual(2);
  for (const [name, total] of Object.entries(counts))
    await expect(app.getByTestId('train-counts').locator(`li[data-class="${name}"]`)).toHaveAttribute(
      'data-total',
      String(total),
    );
  await expect(app.getByTestId('train-counts')).toContainText(
    `${Object.values(counts).reduce((a, b) => a + b, 0)} labeled`,
  );
  await expect(app.getByTestId('train-panel')).toContainText('voxels per side'); // units beside the fields
  const runId = app.locator('input[name="runId"]');
  const proposed = await runId.inputValue();
  expect(proposed).toMatch(/^train-\d{8}-\d{6}(-\d+)?$/);
  await fillForm(app, { epochs: '1', inputSize: '16', valFraction: '0.25', valInterval: '1', seed: '3' });
  await app.getByTestId('train-start').click();
  await expect(app.getByTestId('train-status')).toContainText(`run ${proposed}`);
  const next = await runId.inputValue();
  expect(next).not.toBe(proposed); // a fresh id for the next start
  await expect(app.getByTestId('train-status')).toHaveAttribute('data-state', 'done', { timeout: 90_000 });
  await expect(app.getByTestId('train-resume')).toHaveCount(0); // a finished run is not resumable
  await app.screenshot({ path: path.join(SCREENSHOTS, 'training-4-form-after-run.png') });
  await app.getByTestId('train-start').click();
  await expect(app.getByTestId('train-status')).toContainText(`run ${next}`);
  await expect(app.getByTestId('train-status')).toHaveAttribute('data-state', 'done', { timeout: 90_000 });
  expect(await runId.inputValue()).not.toBe(next);
  await runId.fill(proposed); // a finished run's id
  await app.getByTestId('train-start').click();
  await expect(app.getByRole('alert')).toContainText(`already has a run or model "${proposed}"`);
  await expect(app.getByTestId('train-status')).toHaveAttribute('data-state', 'done');
  await expect(app.getByTestId('train-status')).toContainText(`run ${next}`); // nothing new started
});

test('a finished run is a model: export its weights and import them back', async ({ app }, info) => {
  test.setTimeout(120_000);
  await openTrain(app);
  await fillForm(app, { epochs: '2', inputSize: '16', valFraction: '0.25', valInterval: '1', seed: '3' });
  await app.locator('input[name="runId"]').fill('e2e-finished');
  await app.getByTestId('train-start').click();
  await expect(app.getByTestId('train-status')).toHaveAttribute('data-state', 'done', { timeout: 90_000 });
  const models = app.getByTestId('model-list');
  await expect(models.getByRole('button', { name: 'export' }).first()).toBeVisible({ timeout: 15_000 });
  const [download] = await Promise.all([
    app.waitForEvent('download'),
    models.getByRole('button', { name: 'export' }).first().click(),
  ]);
  const file = path.join(info.outputDir, download.suggestedFilename());
  await download.saveAs(file);
  expect(file).toMatch(/\.(safetensors|onnx)$/);
  const form = app.getByTestId('model-import');
  await form.locator('input[type="file"]').setInputFiles(file);
  await expect(form.locator('label:has-text("Model id") input')).toHaveValue(/.+/); // from the file name
  await form.locator('label:has-text("Model id") input').fill('reimported');
  await form.locator('label:has-text("Architecture") select').selectOption('tiny');
  await form.locator('label:has-text("Input size") input').fill('16');
  await app.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(models).toContainText('reimported');
  await app.screenshot({ path: path.join(SCREENSHOTS, 'training-5-models.png') });
});
