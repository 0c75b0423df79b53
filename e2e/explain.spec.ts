// Issue #6, must-show 5: occlusion on one slice of a real IXI scan with the study's tiny model: progress,
// then the map opens as an overlay (heatmap colours in the axial view) with its colorbar.

import path from 'node:path';
import { SCREENSHOTS, expect, test } from './fixtures.js';
import { IXI_MODEL } from './ixiStudy.js';
import { viewPixels } from './pixels.js';

test('occlusion on one slice: the heatmap overlay appears', async ({ ixi }) => {
  test.setTimeout(120_000);
  await expect(ixi.locator('body[data-ready="true"]')).toBeAttached({ timeout: 15_000 });
  await ixi.locator('[data-image-id="IXI049-HH-1358"]').click();
  await expect(ixi.locator('body[data-image-ready="IXI049-HH-1358"]')).toBeAttached({ timeout: 20_000 });
  const before = await viewPixels(ixi, 'axial');
  expect(before.coloured).toBeLessThan(0.001); // a grey scan
  await ixi.getByRole('tab', { name: 'Explain' }).click();
  await ixi.getByLabel('Model').selectOption(IXI_MODEL);
  const panel = ixi.getByTestId('explain-panel');
  await panel.getByRole('button', { name: 'Run inference' }).click();
  await expect(ixi.getByTestId('probabilities').locator('li')).toHaveCount(2, { timeout: 60_000 });
  await panel.locator('input[type="number"]').first().fill('8');
  await expect(ixi.getByTestId('occlusion-cost')).toContainText('model passes');
  await ixi.getByTestId('run-occlusion').click();
  await expect(ixi.locator('body[data-overlay]')).toBeAttached({ timeout: 90_000 });
  await expect(ixi.getByTestId('colorbar')).toBeVisible();
  await ixi.waitForTimeout(300);
  const after = await viewPixels(ixi, 'axial');
  await ixi.screenshot({ path: path.join(SCREENSHOTS, 'explain-1-occlusion-overlay.png') });
  expect(after.coloured).toBeGreaterThan(0.01); // heatmap colours on screen
  await ixi.locator('body').press('h');
  await expect(ixi.locator('body[data-overlay]')).toHaveCount(0);
  await expect.poll(async () => (await viewPixels(ixi, 'axial')).coloured).toBeLessThan(0.001);
});
