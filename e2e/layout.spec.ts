// Issue #10, the viewer like Slicer/OHIF: layouts (1x3, focus view large, 1x1) and window resizes keep each
// view's slice and zoom; a window/level drag in one view changes all three views and the W/L readout, with a
// sensitivity scaled to the scan's p1-p99 range. Screenshots under e2e-output/screenshots/.

import path from 'node:path';
import type { Page } from '@playwright/test';
import { SCREENSHOTS, expect, ixiServer, test } from './fixtures.js';
import { meanAbsDiff, viewPixels } from './pixels.js';

const SCAN = 'IXI048-HH-1326';
const VIEWS = ['axial', 'coronal', 'sagittal'] as const;

async function open(page: Page, imageId: string): Promise<void> {
  await expect(page.locator('body[data-ready="true"]')).toBeAttached({ timeout: 15_000 });
  await page.locator(`[data-image-id="${imageId}"]`).click();
  await expect(page.locator(`body[data-image-ready="${imageId}"]`)).toBeAttached({ timeout: 20_000 });
  await expect.poll(async () => (await viewPixels(page, 'axial')).std, { timeout: 5_000 }).toBeGreaterThan(15);
}

/** Slice counter text and zoom (relative to the fitted image) of every view. */
async function cameras(page: Page): Promise<Record<string, { slice: string; zoom: number }>> {
  const out: Record<string, { slice: string; zoom: number }> = {};
  for (const v of VIEWS)
    out[v] = {
      slice: (await page.getByTestId(`slice-${v}`).textContent())!,
      zoom: Number(await page.getByTestId(`zoom-${v}`).getAttribute('data-zoom')),
    };
  return out;
}

async function pane(page: Page, view: string) {
  return (await page.locator(`section[data-view="${view}"]`).boundingBox())!;
}

test('layouts and window resizes keep every view’s slice and zoom', async ({ ixi }) => {
  await open(ixi, SCAN);
  const axial = await pane(ixi, 'axial');
  await ixi.mouse.move(axial.x + axial.width / 2, axial.y + axial.height / 2);
  for (let i = 0; i < 6; i++) await ixi.mouse.wheel(0, 120);
  // Right drag zooms (Cornerstone's ZoomTool).
  await ixi.mouse.down({ button: 'right' });
  await ixi.mouse.move(axial.x + axial.width / 2, axial.y + axial.height / 2 - 80, { steps: 8 });
  await ixi.mouse.up({ button: 'right' });
  await expect(ixi.getByTestId('zoom-axial')).not.toHaveText('×1.00');
  const before = await cameras(ixi);
  expect(Math.abs(Math.log(before.axial!.zoom))).toBeGreaterThan(0.15); // zoomed in or out, clearly
  expect(before.coronal!.zoom).toBeCloseTo(1, 6);
  await ixi.screenshot({ path: path.join(SCREENSHOTS, 'layout-1-1x3-zoomed.png') });

  // 1x1: only the focus view (axial), filling the viewer; same slice and zoom.
  await ixi.locator('button[data-layout="1x1"]').click();
  await expect(ixi.locator('section[data-view="coronal"]')).toBeHidden();
  await expect.poll(async () => (await pane(ixi, 'axial')).width).toBeGreaterThan(axial.width * 2.5);
  await ixi.waitForTimeout(300);
  expect(await ixi.getByTestId('slice-axial').textContent()).toBe(before.axial!.slice);
  await expect.poll(async () => Number(await ixi.getByTestId('zoom-axial').getAttribute('data-zoom'))).toBeCloseTo(before.axial!.zoom, 4);
  expect((await viewPixels(ixi, 'axial')).std).toBeGreaterThan(15);
  await ixi.screenshot({ path: path.join(SCREENSHOTS, 'layout-2-1x1.png') });

  // 1+2 with the coronal view in focus: it takes the large cell, the other two stacked beside it.
  await ixi.locator('button[data-layout="primary"]').click();
  await ixi.getByLabel('Focus view').selectOption('coronal');
  await expect.poll(async () => (await pane(ixi, 'coronal')).height).toBeGreaterThan((await pane(ixi, 'axial')).height * 1.8);
  const [big, a, s] = [await pane(ixi, 'coronal'), await pane(ixi, 'axial'), await pane(ixi, 'sagittal')];
  expect(big.width).toBeGreaterThan(a.width * 1.6);
  expect(a.x).toBeGreaterThan(big.x + big.width - 5); // beside the focus view
  expect(Math.abs(a.x - s.x)).toBeLessThan(2); // stacked
  await ixi.waitForTimeout(300);
  for (const v of VIEWS) expect((await viewPixels(ixi, v)).lit).toBeGreaterThan(0.05);
  const primary = await cameras(ixi);
  for (const v of VIEWS) {
    expect(primary[v]!.slice).toBe(before[v]!.slice);
    expect(primary[v]!.zoom).toBeCloseTo(before[v]!.zoom, 4);
  }
  await ixi.screenshot({ path: path.join(SCREENSHOTS, 'layout-3-focus-coronal.png') });

  // M cycles to 1x1 (coronal alone), then back to 1x3: every camera is as it was.
  await ixi.locator('body').press('m');
  await expect(ixi.getByTestId('viewer')).toHaveClass(/layout-1x1/);
  await expect(ixi.locator('section[data-view="axial"]')).toBeHidden();
  await ixi.locator('button[data-layout="1x3"]').click();
  await ixi.setViewportSize({ width: 1200, height: 760 }); // and a window resize
  await expect.poll(async () => (await pane(ixi, 'axial')).width).toBeLessThan(axial.width - 20);
  await ixi.waitForTimeout(300);
  const after = await cameras(ixi);
  for (const v of VIEWS) {
    expect(after[v]!.slice).toBe(before[v]!.slice);
    expect(after[v]!.zoom).toBeCloseTo(before[v]!.zoom, 4);
  }
  expect((await viewPixels(ixi, 'axial')).std).toBeGreaterThan(15);
  await ixi.screenshot({ path: path.join(SCREENSHOTS, 'layout-4-1x3-after-resize.png') });
});

test('a window/level drag in one view changes all three views and the readout, scaled to the scan’s range', async ({ ixi, request }) => {
  await open(ixi, SCAN);
  const res = await request.get(`${ixiServer().url}/api/datastore/images/${SCAN}/volume`, { headers: { 'x-voxlab-token': ixiServer().token } });
  expect(res.status()).toBe(200);
  const meta = JSON.parse(decodeURIComponent(res.headers()['x-voxlab-meta']!)) as { stats: { p01: number; p99: number } };
  const span = meta.stats.p99 - meta.stats.p01;
  await expect(ixi.getByTestId('wl-preset')).toHaveText('Auto (p1–p99)');
  expect(Number(await ixi.getByTestId('wl-width').textContent())).toBeCloseTo(span, -1);
  const before = await Promise.all(VIEWS.map((v) => viewPixels(ixi, v)));

  // Drag left across 30 % of the axial view: the window narrows by 30 % of p1-p99.
  const axial = await pane(ixi, 'axial');
  const [x, y] = [axial.x + axial.width / 2, axial.y + axial.height / 2];
  await ixi.mouse.move(x, y);
  await ixi.mouse.down();
  await ixi.mouse.move(x - axial.width * 0.3, y, { steps: 10 });
  await ixi.mouse.up();
  await expect(ixi.getByTestId('wl-preset')).toHaveText('custom');
  const width = Number(await ixi.getByTestId('wl-width').textContent());
  expect(width / span).toBeGreaterThan(0.66);
  expect(width / span).toBeLessThan(0.74);
  await expect(ixi.locator('.toolbar button.active', { hasText: /^Auto$/ })).toHaveCount(0);
  await ixi.waitForTimeout(300);
  const after = await Promise.all(VIEWS.map((v) => viewPixels(ixi, v)));
  // A narrower window about the same level: more contrast in every view, not only the one dragged in.
  for (let i = 0; i < 3; i++) {
    expect(meanAbsDiff(after[i]!.thumb, before[i]!.thumb), `${VIEWS[i]} view changed`).toBeGreaterThan(2);
    expect(after[i]!.std, `${VIEWS[i]} view more contrast`).toBeGreaterThan(before[i]!.std + 1);
  }
  await ixi.screenshot({ path: path.join(SCREENSHOTS, 'layout-5-wl-drag.png') });

  // Drag down in the sagittal view: the level rises (darker) everywhere; the A key restores auto.
  const sag = await pane(ixi, 'sagittal');
  const levelBefore = Number(await ixi.getByTestId('wl-level').textContent());
  await ixi.mouse.move(sag.x + sag.width / 2, sag.y + sag.height * 0.3);
  await ixi.mouse.down();
  await ixi.mouse.move(sag.x + sag.width / 2, sag.y + sag.height * 0.55, { steps: 10 });
  await ixi.mouse.up();
  const level = Number(await ixi.getByTestId('wl-level').textContent());
  expect((level - levelBefore) / span).toBeGreaterThan(0.2);
  expect((level - levelBefore) / span).toBeLessThan(0.3);
  await ixi.waitForTimeout(300);
  const darker = await Promise.all(VIEWS.map((v) => viewPixels(ixi, v)));
  for (let i = 0; i < 3; i++) expect(darker[i]!.mean, `${VIEWS[i]} view darker`).toBeLessThan(after[i]!.mean - 3);
  await ixi.locator('body').press('a');
  await expect(ixi.getByTestId('wl-preset')).toHaveText('Auto (p1–p99)');
});
