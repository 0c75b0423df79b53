// Issue #6, must-show 4: a tiny model trains on the small synthetic study; the loss chart and the epoch
// table grow while it runs, and Stop ends the run (state cancelled), keeping its finished epochs. A finished
// run is listed as a model whose weights export and import back.

import path from 'node:path';
import { SCREENSHOTS, expect, test } from './fixtures.js';

test('training: the chart updates while it runs and stop works', async ({ app }) => {
  test.setTimeout(120_000);
  await expect(app.locator('body[data-ready="true"]')).toBeAttached({ timeout: 15_000 });
  await app.getByRole('tab', { name: 'Train' }).click();
  const panel = app.getByTestId('train-panel');
  await panel.locator('select').first().selectOption('tiny');
  const set = async (name: string, value: string) => panel.locator(`input[name="${name}"]`).fill(value);
  await set('epochs', '200');
  await set('inputSize', '16');
  await set('batchSize', '2');
  await set('learningRate', '0.003');
  await set('valFraction', '0.25');
  await set('valInterval', '1');
  await set('seed', '5');
  await app.getByTestId('train-start').click();
  await expect(app.getByTestId('train-status')).toHaveAttribute('data-state', 'running');
  const rows = app.getByTestId('epoch-table').locator('tbody tr');
  await expect(rows.first()).toBeVisible({ timeout: 60_000 });
  const lossPoints = () => app.getByTestId('chart-loss').locator('circle').count();
  const first = await lossPoints();
  expect(first).toBeGreaterThan(0);
  await app.screenshot({ path: path.join(SCREENSHOTS, 'training-1-running.png') });
  await expect.poll(lossPoints, { timeout: 60_000 }).toBeGreaterThan(first); // the chart grows
  await expect(rows.nth(1)).toBeVisible();
  await app.screenshot({ path: path.join(SCREENSHOTS, 'training-2-more-epochs.png') });
  await app.getByTestId('train-stop').click();
  await expect(app.getByTestId('train-status')).toHaveAttribute('data-state', 'cancelled', { timeout: 60_000 });
  const kept = await rows.count();
  expect(kept).toBeGreaterThanOrEqual(2);
  expect(kept).toBeLessThan(200);
  await expect(app.getByTestId('train-start')).toBeEnabled();
  await app.screenshot({ path: path.join(SCREENSHOTS, 'training-3-stopped.png') });
});

test('a finished run is a model: export its weights and import them back', async ({ app }, info) => {
  test.setTimeout(120_000);
  await expect(app.locator('body[data-ready="true"]')).toBeAttached({ timeout: 15_000 });
  await app.getByRole('tab', { name: 'Train' }).click();
  const panel = app.getByTestId('train-panel');
  await panel.locator('select').first().selectOption('tiny');
  for (const [name, value] of [['epochs', '2'], ['inputSize', '16'], ['valFraction', '0.25'], ['valInterval', '1'], ['seed', '3']] as const)
    await panel.locator(`input[name="${name}"]`).fill(value);
  await panel.locator('input[placeholder="automatic"]').fill('e2e-finished');
  await app.getByTestId('train-start').click();
  await expect(app.getByTestId('train-status')).toHaveAttribute('data-state', 'done', { timeout: 90_000 });
  const models = app.getByTestId('model-list');
  await expect(models.getByRole('button', { name: 'export' }).first()).toBeVisible({ timeout: 15_000 });
  const [download] = await Promise.all([app.waitForEvent('download'), models.getByRole('button', { name: 'export' }).first().click()]);
  const file = path.join(info.outputDir, download.suggestedFilename());
  await download.saveAs(file);
  expect(file).toMatch(/\.(safetensors|onnx)$/);
  const form = app.getByTestId('model-import');
  await form.locator('input[type="file"]').setInputFiles(file);
  await expect(form.locator('label:has-text("Model id") input')).toHaveValue(/e2e-finished/); // from the file name
  await form.locator('label:has-text("Model id") input').fill('reimported');
  await form.locator('label:has-text("Architecture") select').selectOption('tiny');
  await form.locator('label:has-text("Input size") input').fill('16');
  await app.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(models).toContainText('reimported');
  await app.screenshot({ path: path.join(SCREENSHOTS, 'training-4-models.png') });
});
