// Issue #6, must-show 3 and issue #10 (segmentation like Slicer's Segment Editor): paint a region on a real
// IXI scan, reload: the labelmap is there, on the right voxels (checked through the API in the file's voxel
// order, and on screen). A 3D sphere brush reaches the neighbouring slices; fill between slices fills the
// slices between two painted ones; a renamed, recoloured segment keeps its name and colour after a reload
// and is drawn in it; an older labelmap version is previewed and restored as a new version.

import path from 'node:path';
import type { APIRequestContext, Page } from '@playwright/test';
import { SCREENSHOTS, expect, ixiServer, test } from './fixtures.js';

const IMAGE = 'IXI039-HH-1261';
/** IXI scans as stored here: 120 x 120 x 90 voxels of 2 mm in PSR order (i to P, j to S, k to R). */
const [NX, NY, NZ] = [120, 120, 90];
const at = (i: number, j: number, k: number) => i + NX * (j + NY * k);

async function open(page: Page, image = IMAGE): Promise<void> {
  await expect(page.locator('body[data-ready="true"]')).toBeAttached({ timeout: 15_000 });
  await page.locator(`[data-image-id="${image}"]`).click();
  await expect(page.locator(`body[data-image-ready="${image}"]`)).toBeAttached({ timeout: 20_000 });
}

/** Opens `image` with the Segment panel and the brush on (radius in mm). */
async function openBrush(page: Page, image: string, radiusMm: number): Promise<void> {
  await open(page, image);
  await page.getByRole('tab', { name: 'Segment' }).click();
  await page.getByTestId('seg-panel').getByRole('button', { name: 'Brush', exact: true }).click();
  await page.getByTestId('seg-panel').locator('input[name="radius"]').fill(String(radiusMm));
}

/** Coloured (labelmap) pixels of the overlay canvas of `view`; with `rgb`, only pixels close to that colour. */
function painted(page: Page, view: string, rgb?: readonly [number, number, number]): Promise<number> {
  return page.getByTestId(`labelmap-${view}`).evaluate((c, want) => {
    const canvas = c as unknown as {
      width: number;
      height: number;
      getContext(k: '2d'): {
        getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
      };
    };
    const px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 0; i < px.length; i += 4) {
      if (px[i + 3]! === 0) continue;
      if (
        want === null ||
        (Math.abs(px[i]! - want[0]) < 40 &&
          Math.abs(px[i + 1]! - want[1]) < 40 &&
          Math.abs(px[i + 2]! - want[2]) < 40)
      )
        n++;
    }
    return n;
  }, rgb ?? null);
}

/** A point of the axial view (fractions of its box), in page pixels. */
async function axialPoint(page: Page, fx: number, fy: number): Promise<{ x: number; y: number }> {
  const box = (await page.locator('section[data-view="axial"]').boundingBox())!;
  return { x: box.x + box.width * fx, y: box.y + box.height * fy };
}

/** Moves there and returns the file voxel index under the mouse (the readout). */
async function hoverIjk(page: Page, p: { x: number; y: number }): Promise<number[]> {
  await page.mouse.move(p.x, p.y);
  await expect(page.getByTestId('readout-ijk')).not.toBeEmpty();
  return (await page.getByTestId('readout-ijk').textContent())!.split(', ').map(Number);
}

const savedVersion = async (page: Page) =>
  Number(await page.getByTestId('seg-status').getAttribute('data-version'));

/** Clicks at `p` (one dab of the brush) and waits for the saved version after it. */
async function dab(page: Page, p: { x: number; y: number }): Promise<number> {
  const before = await savedVersion(page);
  await page.mouse.move(p.x, p.y);
  await page.mouse.down();
  await page.mouse.up();
  await expect(page.getByTestId('seg-status')).toHaveAttribute('data-version', String(before + 1));
  return before + 1;
}

async function api(request: APIRequestContext, route: string): Promise<Buffer> {
  const server = ixiServer();
  const res = await request.get(`${server.url}/api${route}`, { headers: { 'x-voxlab-token': server.token } });
  expect(res.status(), `${route}: ${res.status()}`).toBe(200);
  return res.body();
}

const labelmap = (request: APIRequestContext, image: string, version?: number) =>
  api(request, `/datastore/images/${image}/labelmap${version === undefined ? '' : `?version=${version}`}`);

/** Voxels equal to `value` on each file j (axial) slice. */
function perAxialSlice(bytes: Buffer, value: number): number[] {
  const out = new Array<number>(NY).fill(0);
  for (let k = 0; k < NZ; k++)
    for (let j = 0; j < NY; j++) for (let i = 0; i < NX; i++) if (bytes[at(i, j, k)] === value) out[j]!++;
  return out;
}

test('paint a region, reload: the labelmap is there on the right voxels', async ({ ixi, request }) => {
  await openBrush(ixi, IMAGE, 6);
  const start = await axialPoint(ixi, 0.45, 0.5);
  const ijk = await hoverIjk(ixi, start);
  await ixi.mouse.down();
  await ixi.mouse.move(start.x + 20, start.y, { steps: 5 });
  await ixi.mouse.up();
  await expect(ixi.getByTestId('seg-status')).toHaveAttribute('data-version', '1');
  expect(await painted(ixi, 'axial')).toBeGreaterThan(40); // overlay pixels (half-resolution canvas)
  await ixi.screenshot({ path: path.join(SCREENSHOTS, 'segmentation-1-painted.png') });

  // The saved labelmap (file voxel order) has label 1 at the voxel under the stroke's start, 0 far away.
  const bytes = await labelmap(request, IMAGE);
  expect(bytes.length).toBe(NX * NY * NZ);
  expect(bytes[at(ijk[0]!, ijk[1]!, ijk[2]!)]).toBe(1);
  expect(bytes[0]).toBe(0);
  const count = bytes.reduce((s, v) => s + (v === 1 ? 1 : 0), 0);
  expect(count).toBeGreaterThan(20); // a 6 mm disk on 2 mm voxels, dragged: ~40+ voxels on one slice
  expect(count).toBeLessThan(400);
  expect(perAxialSlice(bytes, 1).filter((n) => n > 0)).toHaveLength(1); // the disk brush stays on its slice

  await ixi.reload();
  await open(ixi);
  await expect.poll(() => painted(ixi, 'axial'), { timeout: 10_000 }).toBeGreaterThan(40);
  await ixi.getByRole('tab', { name: 'Segment' }).click();
  await expect(ixi.getByTestId('seg-status')).toHaveAttribute('data-version', '1');
  await expect(ixi.getByTestId('seg-voxels-1')).toHaveAttribute('data-voxels', String(count));
  await ixi.screenshot({ path: path.join(SCREENSHOTS, 'segmentation-2-after-reload.png') });
});

test('the sphere brush paints the neighbouring slices; an older version is previewed and restored as a new one', async ({
  ixi,
  request,
}) => {
  const image = 'IXI051-HH-1328';
  await openBrush(ixi, image, 6);
  await ixi.getByTestId('seg-panel').locator('input[name="sphere"]').check();
  const p = await axialPoint(ixi, 0.5, 0.5);
  const ijk = await hoverIjk(ixi, p);
  // The brush outline follows the mouse, sized from the radius in mm at this zoom.
  const cursor = ixi.getByTestId('brush-cursor-axial');
  await expect(cursor).toBeVisible();
  const r6 = Number(await cursor.getAttribute('data-radius-px'));
  expect(r6).toBeGreaterThan(4);
  await ixi.getByTestId('seg-panel').locator('input[name="radius"]').fill('12');
  await ixi.mouse.move(p.x + 1, p.y);
  await expect.poll(async () => Number(await cursor.getAttribute('data-radius-px'))).toBeCloseTo(2 * r6, 0);
  await ixi.getByTestId('seg-panel').locator('input[name="radius"]').fill('6');
  await ixi.mouse.move(p.x, p.y);
  await ixi.screenshot({ path: path.join(SCREENSHOTS, 'segmentation-3-brush-cursor.png') });

  const first = await dab(ixi, p);
  const sphere = await labelmap(request, image);
  const [i, j, k] = ijk as [number, number, number];
  for (const dj of [-2, -1, 0, 1, 2])
    expect(sphere[at(i, j + dj, k)], `slice j${dj >= 0 ? '+' : ''}${dj}`).toBe(1);
  expect(sphere[at(i, j + 4, k)]).toBe(0);
  expect(sphere[at(i, j - 4, k)]).toBe(0);
  const slices = perAxialSlice(sphere, 1);
  expect(slices.filter((n) => n > 0).length).toBeGreaterThanOrEqual(5);
  expect(slices[j + 2]!).toBeLessThan(slices[j]!); // a ball: smaller discs away from the centre
  expect(slices[j]!).toBeGreaterThan(20);

  // A second stroke elsewhere (disk), then preview and restore the first version.
  await ixi.getByTestId('seg-panel').locator('input[name="sphere"]').uncheck();
  const second = await dab(ixi, await axialPoint(ixi, 0.3, 0.4));
  const withSecond = await painted(ixi, 'axial');
  const versions = ixi.getByTestId('seg-versions');
  await expect(versions.locator(`tr[data-version="${second}"]`)).toBeVisible();
  await versions.locator(`tr[data-version="${first}"]`).getByRole('button', { name: 'Preview' }).click();
  await expect(ixi.getByTestId('seg-preview')).toContainText(`Previewing version ${first}`);
  await expect.poll(() => painted(ixi, 'axial')).toBeLessThan(withSecond);
  await ixi.screenshot({ path: path.join(SCREENSHOTS, 'segmentation-4-preview.png') });
  await ixi.getByTestId('seg-preview').getByRole('button', { name: 'Restore this version' }).click();
  await expect(ixi.getByTestId('seg-status')).toHaveAttribute('data-version', String(second + 1));
  const restored = await labelmap(request, image);
  expect(restored.equals(await labelmap(request, image, first))).toBe(true);
  expect(restored.equals(await labelmap(request, image, second))).toBe(false); // history kept as it was
  const history = JSON.parse(
    (await api(request, `/datastore/images/${image}/labelmap/history`)).toString(),
  ) as { version: number; note: string | null }[];
  expect(history.map((v) => v.version)).toEqual(expect.arrayContaining([first, second, second + 1]));
  expect(history.find((v) => v.version === second + 1)?.note).toContain(`Restored version ${first}`);
  await expect(versions.locator(`tr[data-version="${second + 1}"]`)).toContainText(
    `Restored version ${first}`,
  );
  await ixi.screenshot({ path: path.join(SCREENSHOTS, 'segmentation-5-restored.png') });
});

test('fill between slices fills the slices between two painted ones, in one undoable step', async ({
  ixi,
  request,
}) => {
  const image = 'IXI079-HH-1388';
  await openBrush(ixi, image, 8);
  const p = await axialPoint(ixi, 0.5, 0.45);
  const j0 = (await hoverIjk(ixi, p))[1]!;
  await dab(ixi, p);
  const counter = ixi.getByTestId('slice-axial');
  const before = await counter.textContent();
  for (let n = 0; n < 4; n++) await ixi.keyboard.press('ArrowDown');
  await expect(counter).not.toHaveText(before!);
  const j1 = (await hoverIjk(ixi, { x: p.x + 1, y: p.y }))[1]!;
  expect(Math.abs(j1 - j0)).toBe(4);
  await dab(ixi, p);
  const painted2 = perAxialSlice(await labelmap(request, image), 1);
  expect(painted2.filter((n) => n > 0)).toHaveLength(2);

  const version = await savedVersion(ixi);
  await expect(ixi.locator('select[name="fill-view"]')).toHaveValue('axial');
  await ixi.getByRole('button', { name: 'Fill between slices' }).click();
  await expect(ixi.getByTestId('seg-status')).toHaveAttribute('data-version', String(version + 1));
  await expect(ixi.getByTestId('seg-notice')).toContainText('Filled between axial slices');
  const filled = perAxialSlice(await labelmap(request, image), 1);
  const [lo, hi] = [Math.min(j0, j1), Math.max(j0, j1)];
  for (let j = lo; j <= hi; j++) expect(filled[j], `slice ${j}`).toBe(painted2[j0]); // the same disk, copied across
  expect(filled.filter((n) => n > 0)).toHaveLength(5);
  await ixi.keyboard.press('ArrowUp');
  await ixi.keyboard.press('ArrowUp');
  await expect.poll(() => painted(ixi, 'axial')).toBeGreaterThan(40); // the middle slice shows the fill
  await ixi.screenshot({ path: path.join(SCREENSHOTS, 'segmentation-6-filled.png') });

  await ixi.getByTestId('seg-panel').getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(ixi.getByTestId('seg-notice')).toContainText('Undid fill between axial slices');
  await expect(ixi.getByTestId('seg-status')).toHaveAttribute('data-version', String(version + 2));
  expect(perAxialSlice(await labelmap(request, image), 1)).toEqual(painted2);
  await expect.poll(() => painted(ixi, 'axial')).toBe(0);
});

test('a renamed, recoloured segment is drawn in its colour and keeps name and colour after a reload', async ({
  ixi,
  request,
}) => {
  const image = 'IXI057-HH-1342';
  await openBrush(ixi, image, 6);
  const table = ixi.getByTestId('seg-table');
  const rows = await table.locator('tbody tr').count();
  await ixi.getByRole('button', { name: 'Add segment' }).click();
  await expect(table.locator('tbody tr')).toHaveCount(rows + 1);
  const row = table.locator('tr[aria-selected="true"]');
  const value = Number(await row.getAttribute('data-segment'));
  expect(value).toBeGreaterThan(1);
  await row.getByLabel(`Name of segment ${value}`).fill('e2e lesion');
  await row.getByLabel(`Name of segment ${value}`).press('Enter');
  await row.getByLabel(`Colour of segment ${value}`).fill('#00ff00');
  await expect
    .poll(async () => JSON.parse((await api(request, '/segments')).toString()) as unknown[])
    .toContainEqual({ value, name: 'e2e lesion', colour: '#00ff00' });

  const p = await axialPoint(ixi, 0.5, 0.5);
  const ijk = await hoverIjk(ixi, p);
  await dab(ixi, p);
  expect((await labelmap(request, image))[at(ijk[0]!, ijk[1]!, ijk[2]!)]).toBe(value);
  expect(await painted(ixi, 'axial', [0, 255, 0])).toBeGreaterThan(40); // drawn green
  await row.getByLabel(`Show segment ${value}`).uncheck();
  await expect.poll(() => painted(ixi, 'axial')).toBe(0);
  await row.getByLabel(`Show segment ${value}`).check();
  await expect.poll(() => painted(ixi, 'axial', [0, 255, 0])).toBeGreaterThan(40);
  await expect(ixi.getByTestId(`seg-voxels-${value}`)).not.toHaveAttribute('data-voxels', '0');

  await ixi.reload();
  await open(ixi, image);
  await ixi.getByRole('tab', { name: 'Segment' }).click();
  const again = ixi.getByTestId('seg-table').locator(`tr[data-segment="${value}"]`);
  await expect(again.getByLabel(`Name of segment ${value}`)).toHaveValue('e2e lesion');
  await expect(again.getByLabel(`Colour of segment ${value}`)).toHaveValue('#00ff00');
  await expect.poll(() => painted(ixi, 'axial', [0, 255, 0])).toBeGreaterThan(40);
  await ixi.screenshot({ path: path.join(SCREENSHOTS, 'segmentation-7-named-segment.png') });
});
