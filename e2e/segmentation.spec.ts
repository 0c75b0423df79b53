// Issue #6, must-show 3: paint a region on a real IXI scan, reload: the labelmap is there, on the right
// voxels (checked through the API in the file's voxel order, and on screen after the reload).

import path from 'node:path';
import type { Page } from '@playwright/test';
import { SCREENSHOTS, expect, ixiServer, test } from './fixtures.js';

const IMAGE = 'IXI039-HH-1261';

async function open(page: Page): Promise<void> {
  await expect(page.locator('body[data-ready="true"]')).toBeAttached({ timeout: 15_000 });
  await page.locator(`[data-image-id="${IMAGE}"]`).click();
  await expect(page.locator(`body[data-image-ready="${IMAGE}"]`)).toBeAttached({ timeout: 20_000 });
}

/** Coloured (labelmap) pixels of the overlay canvas of `view`. */
function painted(page: Page, view: string): Promise<number> {
  return page.getByTestId(`labelmap-${view}`).evaluate((c) => {
    const canvas = c as unknown as { width: number; height: number; getContext(k: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
    const px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 3; i < px.length; i += 4) if (px[i]! > 0) n++;
    return n;
  });
}

test('paint a region, reload: the labelmap is there on the right voxels', async ({ ixi, request }) => {
  await open(ixi);
  await ixi.getByRole('tab', { name: 'Segment' }).click();
  await ixi.getByTestId('seg-panel').getByRole('button', { name: 'Brush' }).click();
  await ixi.getByTestId('seg-panel').locator('input[name="radius"]').fill('6');
  const box = (await ixi.locator('section[data-view="axial"]').boundingBox())!;
  const x = box.x + box.width * 0.45;
  const y = box.y + box.height * 0.5;
  await ixi.mouse.move(x, y);
  const ijk = (await ixi.getByTestId('readout-ijk').textContent())!.split(', ').map(Number);
  await ixi.mouse.down();
  await ixi.mouse.move(x + 20, y, { steps: 5 });
  await ixi.mouse.up();
  await expect(ixi.getByTestId('seg-status')).toHaveAttribute('data-version', '1');
  expect(await painted(ixi, 'axial')).toBeGreaterThan(40); // overlay pixels (half-resolution canvas)
  await ixi.screenshot({ path: path.join(SCREENSHOTS, 'segmentation-1-painted.png') });

  // The saved labelmap (file voxel order) has label 1 at the voxel under the stroke's start, 0 far away.
  const server = ixiServer();
  const res = await request.get(`${server.url}/api/datastore/images/${IMAGE}/labelmap`, { headers: { 'x-voxlab-token': server.token } });
  expect(res.status()).toBe(200);
  const bytes = await res.body();
  const [nx, ny] = [120, 120];
  expect(bytes.length).toBe(120 * 120 * 90);
  expect(bytes[ijk[0]! + nx * (ijk[1]! + ny * ijk[2]!)]).toBe(1);
  expect(bytes[0]).toBe(0);
  const count = bytes.reduce((s, v) => s + (v === 1 ? 1 : 0), 0);
  expect(count).toBeGreaterThan(20); // a 6 mm disk on 2 mm voxels, dragged: ~40+ voxels on one slice
  expect(count).toBeLessThan(400);

  await ixi.reload();
  await open(ixi);
  await expect.poll(() => painted(ixi, 'axial'), { timeout: 10_000 }).toBeGreaterThan(40);
  await ixi.getByRole('tab', { name: 'Segment' }).click();
  await expect(ixi.getByTestId('seg-status')).toHaveAttribute('data-version', '1');
  await ixi.screenshot({ path: path.join(SCREENSHOTS, 'segmentation-2-after-reload.png') });
});
