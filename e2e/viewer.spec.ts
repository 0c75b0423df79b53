// Issue #6, must-show 1: a real IXI scan opens and the axial view shows the brain (pixels neither blank nor
// uniform); the same brain stored in RAS and in PSR voxel order looks the same with the same orientation
// letters; scrolling changes the slice. Screenshots under e2e-output/screenshots/.

import path from 'node:path';
import type { Page } from '@playwright/test';
import { SCREENSHOTS, expect, test } from './fixtures.js';
import { ORIENTATION_FILES } from './ixiStudy.js';
import { correlation, meanAbsDiff, mirrored, viewPixels } from './pixels.js';

async function open(page: Page, imageId: string): Promise<void> {
  await expect(page.locator('body[data-ready="true"]')).toBeAttached({ timeout: 15_000 });
  await page.locator(`[data-image-id="${imageId}"]`).click();
  await expect(page.locator(`body[data-image-ready="${imageId}"]`)).toBeAttached({ timeout: 20_000 });
  // The axial view has drawn the scan (software WebGL may need a frame or two more).
  await expect.poll(async () => (await viewPixels(page, 'axial')).std, { timeout: 5_000 }).toBeGreaterThan(15);
}

async function markers(page: Page, view: string): Promise<string> {
  const letters = [];
  for (const edge of ['top', 'right', 'bottom', 'left'])
    letters.push(await page.getByTestId(`marker-${view}-${edge}`).textContent());
  return letters.join('');
}

test('an IXI scan opens: the axial view shows the brain, and scrolling changes the slice', async ({ ixi }) => {
  await open(ixi, 'IXI048-HH-1326');
  const axial = await viewPixels(ixi, 'axial');
  await ixi.screenshot({ path: path.join(SCREENSHOTS, 'viewer-1-ixi-open.png') });
  expect(axial.lit).toBeGreaterThan(0.1); // not blank
  expect(axial.std).toBeGreaterThan(15); // not uniform
  for (const view of ['coronal', 'sagittal']) expect((await viewPixels(ixi, view)).lit).toBeGreaterThan(0.1);
  // Radiological convention on a PSR file: patient right on the screen's left, anterior up, in the axial view.
  expect(await markers(ixi, 'axial')).toBe('ALPR');
  expect(await markers(ixi, 'coronal')).toBe('SLIR');
  expect(await markers(ixi, 'sagittal')).toBe('SPIA');

  const before = await ixi.getByTestId('slice-axial').textContent();
  const box = (await ixi.locator('section[data-view="axial"]').boundingBox())!;
  await ixi.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 5; i++) await ixi.mouse.wheel(0, 120);
  await expect(ixi.getByTestId('slice-axial')).not.toHaveText(before!);
  await ixi.keyboard.press('PageDown');
  const after = await viewPixels(ixi, 'axial');
  expect(correlation(after.thumb, axial.thumb)).toBeLessThan(0.999); // a different slice is drawn
  await expect(ixi.getByTestId('readout-ijk')).toHaveText(/^\d+, \d+, \d+$/);
  await ixi.screenshot({ path: path.join(SCREENSHOTS, 'viewer-2-ixi-scrolled.png') });

  // Crosshairs (X): a click in the axial view moves the coronal and sagittal views to that point.
  const coronal = await ixi.getByTestId('slice-coronal').textContent();
  const sagittal = await ixi.getByTestId('slice-sagittal').textContent();
  await ixi.locator('body').press('x');
  await ixi.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.35);
  await expect(ixi.getByTestId('slice-coronal')).not.toHaveText(coronal!);
  await expect(ixi.getByTestId('slice-sagittal')).not.toHaveText(sagittal!);
  await expect(ixi.locator('svg.crosshair-lines line')).toHaveCount(6);
  await ixi.screenshot({ path: path.join(SCREENSHOTS, 'viewer-3-crosshairs.png') });
});

test('the same brain stored in RAS and in PSR voxel order is shown the same way', async ({ ixi }) => {
  await open(ixi, ORIENTATION_FILES.ras);
  const ras = await viewPixels(ixi, 'axial');
  const rasMarkers = await markers(ixi, 'axial');
  await ixi.screenshot({ path: path.join(SCREENSHOTS, 'viewer-4-template-ras.png') });
  await open(ixi, ORIENTATION_FILES.psr);
  const psr = await viewPixels(ixi, 'axial');
  await ixi.screenshot({ path: path.join(SCREENSHOTS, 'viewer-5-template-psr.png') });
  expect(await markers(ixi, 'axial')).toBe(rasMarkers);
  expect(rasMarkers).toBe('ALPR');
  expect(ras.std).toBeGreaterThan(15);
  // Same anatomy at the same place (both files land on the same LPS grid): nearly identical pixels, far
  // closer than the left-right mirror (the template carries R and L letters, so a mirror differs).
  expect(correlation(ras.thumb, psr.thumb)).toBeGreaterThan(0.98);
  const same = meanAbsDiff(ras.thumb, psr.thumb);
  expect(same).toBeLessThan(2);
  expect(meanAbsDiff(ras.thumb, mirrored(psr.thumb))).toBeGreaterThan(3 * same + 4);
});
