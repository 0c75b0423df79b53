// Issue #10, measurements like OHIF/Slicer: a length on a real IXI scan in mm agrees with the voxel
// spacing; a rectangle's statistics equal those computed here from the API's voxels, of the scan and of a
// shown heatmap; an ellipse holds fewer voxels than its box; delete; measurements go when another scan opens.

import path from 'node:path';
import type { APIRequestContext, Page } from '@playwright/test';
import { SCREENSHOTS, expect, ixiServer, test } from './fixtures.js';
import { occlusionThroughApi } from './ixiApi.js';
import { viewPixels } from './pixels.js';

const SCAN = 'IXI048-HH-1326';

async function open(page: Page, imageId: string): Promise<void> {
  await expect(page.locator('body[data-ready="true"]')).toBeAttached({ timeout: 15_000 });
  await page.locator(`[data-image-id="${imageId}"]`).click();
  await expect(page.locator(`body[data-image-ready="${imageId}"]`)).toBeAttached({ timeout: 20_000 });
  await expect.poll(async () => (await viewPixels(page, 'axial')).std, { timeout: 5_000 }).toBeGreaterThan(15);
}

/** A volume's voxels (file order) and metadata from the API: a scan's, or with `route` 'maps' a stored map's. */
async function volume(request: APIRequestContext, id: string, route: 'images' | 'maps' = 'images') {
  const server = ixiServer();
  const url = route === 'images' ? `${server.url}/api/datastore/images/${id}/volume` : `${server.url}/api/maps/${id}`;
  const res = await request.get(url, { headers: { 'x-voxlab-token': server.token } });
  expect(res.status()).toBe(200);
  const meta = JSON.parse(decodeURIComponent(res.headers()['x-voxlab-meta']!)) as { shape: [number, number, number]; pixdim: [number, number, number] };
  const body = await res.body();
  return { meta, data: new Float32Array(body.buffer, body.byteOffset, body.byteLength / 4) };
}

/** Moves the mouse to page point (x, y) and reads the file voxel index under it from the status bar. */
async function ijkAt(page: Page, x: number, y: number): Promise<number[]> {
  await page.mouse.move(x, y);
  return (await page.getByTestId('readout-ijk').textContent())!.split(', ').map(Number);
}

async function drag(page: Page, from: [number, number], to: [number, number]): Promise<void> {
  await page.mouse.move(...from);
  await page.mouse.down();
  await page.mouse.move(...to, { steps: 8 });
  await page.mouse.up();
}

/** Mean, population std, min and max of the voxels of `data` (shape `shape`) in the inclusive box `b`. */
function boxStats(data: Float32Array, shape: readonly number[], b: readonly number[]) {
  const values: number[] = [];
  for (let k = b[4]!; k <= b[5]!; k++)
    for (let j = b[2]!; j <= b[3]!; j++) for (let i = b[0]!; i <= b[1]!; i++) values.push(data[i + shape[0]! * (j + shape[1]! * k)]!);
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
  return { count: values.length, mean, std, min: Math.min(...values), max: Math.max(...values) };
}

const num = async (page: Page, testId: string, attr: string) => Number(await page.getByTestId(testId).getAttribute(attr));

test('length and region measurements on an IXI scan', async ({ ixi, request }) => {
  await open(ixi, SCAN);
  const { meta, data } = await volume(request, SCAN);
  const box = (await ixi.locator('section[data-view="axial"]').boundingBox())!;
  const at = (fx: number, fy: number): [number, number] => [box.x + box.width * fx, box.y + box.height * fy];

  // Length: L, then a drag across the head from left to right.
  await ixi.locator('body').press('l');
  await expect(ixi.locator('button[data-tool="length"]')).toHaveClass(/active/);
  const a = await ijkAt(ixi, ...at(0.3, 0.5));
  const b = await ijkAt(ixi, ...at(0.7, 0.5));
  await drag(ixi, at(0.3, 0.5), at(0.7, 0.5));
  await expect(ixi.getByTestId('measure-1')).toBeVisible();
  const mm = await num(ixi, 'measure-1', 'data-length-mm');
  const fromVoxels = Math.hypot(...a.map((v, i) => (v - b[i]!) * meta.pixdim[i]!));
  const voxel = Math.max(...meta.pixdim);
  expect(Math.abs(mm - fromVoxels)).toBeLessThan(1.5 * voxel); // the readout rounds each end to a voxel
  expect(mm).toBeGreaterThan(40); // 40 % of the axial view of an adult head: several cm
  expect(mm).toBeLessThan(200);
  await expect(ixi.locator('g.measure-item[data-measure-id="1"] text')).toHaveText(`#1 ${mm.toFixed(1)} mm`);
  await ixi.screenshot({ path: path.join(SCREENSHOTS, 'measure-1-length.png') });

  // Rectangle (Q): its statistics are those of the API's voxels in the box it covers.
  await ixi.locator('body').press('q');
  const c0 = await ijkAt(ixi, ...at(0.4, 0.4));
  const c1 = await ijkAt(ixi, ...at(0.55, 0.6));
  await drag(ixi, at(0.4, 0.4), at(0.55, 0.6));
  await expect(ixi.getByTestId('measure-2-scan')).toBeVisible();
  const vbox = (await ixi.getByTestId('measure-2').getAttribute('data-voxel-box'))!.split(',').map(Number);
  for (let axis = 0; axis < 3; axis++) {
    const [lo, hi] = [Math.min(c0[axis]!, c1[axis]!), Math.max(c0[axis]!, c1[axis]!)];
    expect(Math.abs(vbox[2 * axis]! - lo), `axis ${axis} low end`).toBeLessThanOrEqual(1);
    expect(Math.abs(vbox[2 * axis + 1]! - hi), `axis ${axis} high end`).toBeLessThanOrEqual(1);
  }
  const expected = boxStats(data, meta.shape, vbox);
  expect(expected.count).toBeGreaterThan(100);
  expect(await num(ixi, 'measure-2-scan', 'data-count')).toBe(expected.count);
  expect(await num(ixi, 'measure-2-scan', 'data-mean')).toBeCloseTo(expected.mean, 2);
  expect(await num(ixi, 'measure-2-scan', 'data-std')).toBeCloseTo(expected.std, 2);
  expect(await num(ixi, 'measure-2-scan', 'data-min')).toBe(expected.min);
  expect(await num(ixi, 'measure-2-scan', 'data-max')).toBe(expected.max);
  expect(await num(ixi, 'measure-2-scan', 'data-volume')).toBeCloseTo(expected.count * meta.pixdim[0] * meta.pixdim[1] * meta.pixdim[2], 1);
  await ixi.screenshot({ path: path.join(SCREENSHOTS, 'measure-2-rectangle.png') });

  // Ellipse (E) over the same box: about π/4 of its voxels.
  await ixi.locator('body').press('e');
  await drag(ixi, at(0.4, 0.4), at(0.55, 0.6));
  await expect(ixi.getByTestId('measure-3-scan')).toBeVisible();
  const ellipse = await num(ixi, 'measure-3-scan', 'data-count');
  expect(ellipse / expected.count).toBeGreaterThan(0.7);
  expect(ellipse / expected.count).toBeLessThan(0.86);
  await expect(ixi.locator('svg.measure-overlay g.measure-item')).toHaveCount(3);
  await ixi.screenshot({ path: path.join(SCREENSHOTS, 'measure-3-ellipse.png') });

  // Measurements stay on their slice: scrolling away hides them; delete removes one.
  await ixi.mouse.move(...at(0.5, 0.5));
  for (let i = 0; i < 4; i++) await ixi.mouse.wheel(0, 120);
  await expect(ixi.locator('section[data-view="axial"] g.measure-item')).toHaveCount(0);
  await ixi.getByRole('button', { name: 'Delete measurement 1' }).click();
  await expect(ixi.getByTestId('measure-1')).toHaveCount(0);
  await expect(ixi.getByTestId('measure-2')).toBeVisible();

  // Another scan: the measurements go.
  await ixi.locator('body').press('w');
  await open(ixi, 'IXI049-HH-1358');
  await expect(ixi.getByTestId('measure-2')).toHaveCount(0);
  await expect(ixi.locator('svg.measure-overlay g')).toHaveCount(0);
});

test('a region over a shown heatmap gives the map’s statistics under it, as the API’s map voxels', async ({ ixi, request }) => {
  test.setTimeout(150_000);
  const image = 'IXI080-HH-1341';
  const mapId = await occlusionThroughApi(request, image);
  await open(ixi, image);
  await ixi.getByRole('tab', { name: 'Explain' }).click();
  await ixi.getByTestId('map-list').locator(`li[data-map-id="${mapId}"] input[type="radio"]`).check({ timeout: 15_000 });
  await expect(ixi.locator(`body[data-overlay="${mapId}"]`)).toBeAttached({ timeout: 30_000 });
  const box = (await ixi.locator('section[data-view="axial"]').boundingBox())!;
  await ixi.locator('button[data-tool="rectangle"]').click(); // the map's radio button has the keyboard focus
  await drag(ixi, [box.x + box.width * 0.35, box.y + box.height * 0.35], [box.x + box.width * 0.6, box.y + box.height * 0.6]);
  await expect(ixi.getByTestId('measure-1-map')).toBeVisible({ timeout: 15_000 });
  const vbox = (await ixi.getByTestId('measure-1').getAttribute('data-voxel-box'))!.split(',').map(Number);
  const map = await volume(request, mapId, 'maps');
  const expected = boxStats(map.data, map.meta.shape, vbox);
  expect(expected.count).toBeGreaterThan(100);
  expect(expected.max).toBeGreaterThan(expected.min); // the map varies under the region
  expect(await num(ixi, 'measure-1-map', 'data-count')).toBe(expected.count);
  for (const key of ['mean', 'std', 'min', 'max'] as const) {
    const shown = await num(ixi, 'measure-1-map', `data-${key}`);
    expect(Math.abs(shown - expected[key]), key).toBeLessThan(1e-5 * Math.max(1, Math.abs(expected.max)));
  }
  const scan = await volume(request, image);
  expect(await num(ixi, 'measure-1-scan', 'data-mean')).toBeCloseTo(boxStats(scan.data, scan.meta.shape, vbox).mean, 2);
  await ixi.screenshot({ path: path.join(SCREENSHOTS, 'measure-4-map-region.png') });
});
