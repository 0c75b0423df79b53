// Issue #6 must-show 5 and issue #10: heatmaps are study artifacts. A map made through the API is listed
// for its scan (source, method, class), opens as an overlay with a colorbar of readable values, can be
// limited to the head, and is still listed and opens after a page reload. In the app, the class explained by
// default is the one the model predicted; occlusion on one slice shows its map at once and says its class.

import path from 'node:path';
import type { Page } from '@playwright/test';
import { SCREENSHOTS, expect, test } from './fixtures.js';
import { IXI_MODEL } from './ixiStudy.js';
import { occlusionThroughApi, runJobThroughApi } from './ixiApi.js';
import { viewPixels } from './pixels.js';

/** A 64 x 64 grid over the view's canvas: grey level and whether the pixel carries heatmap colour. */
function pixelGrid(page: Page, view: string): Promise<{ grey: number[]; coloured: boolean[] }> {
  return page.evaluate((v) => {
    type Canvas = {
      width: number;
      height: number;
      getContext(
        kind: '2d',
      ): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
    };
    const doc = (globalThis as unknown as { document: { querySelector(s: string): Canvas | null } }).document;
    const canvas = doc.querySelector(`section[data-view="${v}"] canvas`)!;
    const { width, height } = canvas;
    const px = canvas.getContext('2d')!.getImageData(0, 0, width, height).data;
    const grey: number[] = [];
    const coloured: boolean[] = [];
    for (let y = 0; y < 64; y++)
      for (let x = 0; x < 64; x++) {
        const p = 4 * (Math.floor(((y + 0.5) * height) / 64) * width + Math.floor(((x + 0.5) * width) / 64));
        const [r, g, b] = [px[p]!, px[p + 1]!, px[p + 2]!];
        grey.push((r + g + b) / 3);
        coloured.push(Math.max(r, g, b) - Math.min(r, g, b) > 80);
      }
    return { grey, coloured };
  }, view);
}

/** Fraction of the dark pixels of the plain scan (`scanGrey`: air, also dark CSF and sinuses) that now show heatmap colour. */
async function colouredAir(page: Page, scanGrey: readonly number[]): Promise<number> {
  const now = await pixelGrid(page, 'axial');
  const air = scanGrey.map((g, i) => (g < 12 ? i : -1)).filter((i) => i >= 0);
  return air.filter((i) => now.coloured[i]).length / Math.max(1, air.length);
}

async function openScan(page: Page, imageId: string): Promise<void> {
  await expect(page.locator('body[data-ready="true"]')).toBeAttached({ timeout: 15_000 });
  await page.locator(`[data-image-id="${imageId}"]`).click();
  await expect(page.locator(`body[data-image-ready="${imageId}"]`)).toBeAttached({ timeout: 20_000 });
  await page.getByRole('tab', { name: 'Explain' }).click();
}

/** The colorbar shows at least three numbers, placed from bottom to top in increasing order. */
async function expectReadableColorbar(page: Page, title: RegExp): Promise<void> {
  await expect(page.getByTestId('colorbar')).toBeVisible();
  await expect(page.getByTestId('colorbar-title')).toHaveText(title);
  const ticks = page.getByTestId('colorbar-ticks').locator('span');
  expect(await ticks.count()).toBeGreaterThanOrEqual(3);
  const labels = await ticks.allTextContents();
  for (const label of labels) expect(label).toMatch(/^-?\d+(\.\d+)?(e[-+]\d+)?$/);
  const values = labels.map(Number);
  expect([...values].sort((a, b) => a - b)).toEqual(values);
  const boxes = await Promise.all((await ticks.all()).map(async (t) => (await t.boundingBox())!.y));
  for (let i = 1; i < boxes.length; i++) expect(boxes[i]!).toBeLessThan(boxes[i - 1]!); // higher values higher up
}

test('a map made through the API is listed, opens, can be limited to the head, and is still there after a reload', async ({
  ixi,
  request,
}) => {
  test.setTimeout(150_000);
  const image = 'IXI048-HH-1326';
  const mapId = await occlusionThroughApi(request, image);
  await openScan(ixi, image);
  const item = ixi.getByTestId('map-list').locator(`li[data-map-id="${mapId}"]`);
  await expect(item).toBeVisible({ timeout: 15_000 });
  await expect(item).toHaveAttribute('data-source', 'api');
  await expect(item).toContainText('Occlusion');
  await expect(item).toContainText('made through the API');
  await expect(item).toContainText(`model ${IXI_MODEL}`);
  await expect(item).toContainText('mask 8');
  const scan = await pixelGrid(ixi, 'axial');
  expect(scan.coloured.filter(Boolean).length).toBe(0); // nothing shown until a map is picked
  await item.locator('input[type="radio"]').check();
  await expect(ixi.locator(`body[data-overlay="${mapId}"]`)).toBeAttached({ timeout: 30_000 });
  // A real occlusion map has both signs and opens signed (pale near 0: e2e/signedOverlay.spec.ts checks
  // that view); this test measures the positive view's colours and head mask.
  await ixi.getByTestId('sign-mode').selectOption('positive');
  await ixi.getByLabel(/^Threshold/).fill('0'); // every positive value shown, in the air too
  await ixi.waitForTimeout(300);
  expect((await viewPixels(ixi, 'axial')).coloured).toBeGreaterThan(0.01);
  const airBefore = await colouredAir(ixi, scan.grey);
  await expectReadableColorbar(ixi, /^Occlusion · class \S+$/);
  await expect(ixi.getByTestId('overlay-look')).toContainText(
    'drop in probability when the region is hidden',
  );
  await ixi.screenshot({ path: path.join(SCREENSHOTS, 'explain-2-api-map.png') });

  await ixi.getByTestId('inside-head').check();
  await expect(ixi.locator('body[data-overlay-masked="true"]')).toBeAttached({ timeout: 30_000 });
  await ixi.waitForTimeout(300);
  expect((await viewPixels(ixi, 'axial')).coloured).toBeGreaterThan(0.005); // still a heatmap on the head
  const airAfter = await colouredAir(ixi, scan.grey);
  expect(airBefore).toBeGreaterThan(0.02);
  expect(airAfter).toBeLessThan(airBefore * 0.2); // the air around the head is no longer coloured (dark CSF inside still is)
  await ixi.screenshot({ path: path.join(SCREENSHOTS, 'explain-3-inside-head.png') });

  await ixi.reload();
  await openScan(ixi, image);
  const again = ixi.getByTestId('map-list').locator(`li[data-map-id="${mapId}"]`);
  await expect(again).toBeVisible({ timeout: 15_000 });
  await again.locator('input[type="radio"]').check();
  await expect(ixi.locator(`body[data-overlay="${mapId}"]`)).toBeAttached({ timeout: 30_000 });
  await ixi.getByTestId('sign-mode').selectOption('positive');
  await ixi.waitForTimeout(300);
  expect((await viewPixels(ixi, 'axial')).coloured).toBeGreaterThan(0.005);
  await expectReadableColorbar(ixi, /^Occlusion/);
  await ixi.screenshot({ path: path.join(SCREENSHOTS, 'explain-4-after-reload.png') });
});

test('a flat map (Grad-CAM of the tiny model) is listed as flat and never tints the scan', async ({
  ixi,
  request,
}) => {
  test.setTimeout(90_000);
  const result = await runJobThroughApi<{ mapId: string; min: number; max: number }>(request, `/explain/${IXI_MODEL}`, {
    imageId: 'IXI080-HH-1341',
    method: 'gradcam',
    source: 'api',
  });
  const job = { result };
  // The fixture's tiny model (seeded, one epoch) has an all-zero last ReLU: its Grad-CAM is flat, always.
  expect(job.result!.max, 'the Grad-CAM map of the e2e model is flat').toBe(job.result!.min);
  await openScan(ixi, 'IXI080-HH-1341');
  const item = ixi.getByTestId('map-list').locator(`li[data-map-id="${job.result!.mapId}"]`);
  await expect(item).toContainText('flat');
  await item.locator('input[type="radio"]').check();
  await expect(ixi.getByTestId('flat-map')).toBeVisible();
  await ixi.waitForTimeout(500);
  await expect(ixi.locator('body[data-overlay]')).toHaveCount(0);
  expect((await viewPixels(ixi, 'axial')).coloured).toBeLessThan(0.001);
});

test('the predicted class is explained by default; occlusion on one slice shows its map and says its class', async ({
  ixi,
}) => {
  test.setTimeout(150_000);
  await openScan(ixi, 'IXI049-HH-1358');
  expect((await viewPixels(ixi, 'axial')).coloured).toBeLessThan(0.001); // a grey scan
  await ixi.getByLabel('Model').selectOption(IXI_MODEL);
  const panel = ixi.getByTestId('explain-panel');
  await panel.getByRole('button', { name: 'Run inference' }).click();
  const bars = ixi.getByTestId('probabilities').locator('li');
  await expect(bars).toHaveCount(2, { timeout: 60_000 });
  const names = await bars.locator('.prob-name').allTextContents();
  const values = (await bars.locator('.prob-value').allTextContents()).map((t) => Number.parseFloat(t));
  const predicted = names[values.indexOf(Math.max(...values))]!;
  const choice = ixi.getByLabel('Class to explain');
  await expect(choice).toHaveValue('');
  await expect(choice.locator('option:checked')).toHaveText(`Predicted class: ${predicted}`);
  await expect(ixi.getByTestId('explains-class')).toContainText(`explains ${predicted}, the predicted class`);
  await panel.locator('input[type="number"]').first().fill('8');
  await expect(ixi.getByTestId('occlusion-cost')).toContainText('model passes');
  await ixi.getByTestId('run-occlusion').click();
  await expect(ixi.locator('body[data-overlay]')).toBeAttached({ timeout: 90_000 });
  const newest = ixi.getByTestId('map-list').locator('li').first();
  await expect(newest).toContainText(`Occlusion · ${predicted} (the predicted class)`);
  await expect(newest).toContainText('made in the app');
  await expect(newest).toHaveAttribute(
    'data-map-id',
    (await ixi.locator('body').getAttribute('data-overlay'))!,
  );
  await expect(ixi.getByTestId('shown-explains')).toContainText(`class ${predicted}`);
  await expectReadableColorbar(ixi, new RegExp(`^Occlusion · class ${predicted}$`));
  await ixi.getByTestId('sign-mode').selectOption('positive'); // the jet look this test measures
  await ixi.waitForTimeout(300);
  const after = await viewPixels(ixi, 'axial');
  await ixi.screenshot({ path: path.join(SCREENSHOTS, 'explain-1-occlusion-overlay.png') });
  expect(after.coloured).toBeGreaterThan(0.01); // heatmap colours on screen
  await ixi.locator('body').press('h');
  await expect(ixi.locator('body[data-overlay]')).toHaveCount(0);
  await expect.poll(async () => (await viewPixels(ixi, 'axial')).coloured).toBeLessThan(0.001);
});
