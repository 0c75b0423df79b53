// Issue #16: the overlay shows signed importance. A map with negative values is drawn on a diverging scale
// centred on 0 (blue = hiding the region raised the class's output, red = lowered it), with 0 marked on the
// colorbar and the sign in words, the colormap menu naming the diverging map; "Positive only" hides the blue
// part and gives the colormap choice back. The map is a real occlusion map made through the API whose values
// the test replaces (in the browser's answer from GET /maps/{id}) by a crafted pattern: one half of the volume
// at -0.05, the other at +0.05, so both colours must show.

import path from 'node:path';
import type { Page } from '@playwright/test';
import { SCREENSHOTS, expect, test } from './fixtures.js';
import { occlusionThroughApi } from './ixiApi.js';
import { viewPixels } from './pixels.js';

const IMAGE = 'IXI080-HH-1341';
/** The crafted map's values: -EFFECT on the low-x half of the volume, +EFFECT on the other. */
const EFFECT = 0.05;

/** Serves map `mapId` to the page with the crafted values, and lists it with their range. */
async function craftMap(page: Page, mapId: string): Promise<void> {
  await page.route(`**/maps/${mapId}`, async (route) => {
    const real = await route.fetch();
    const meta = JSON.parse(decodeURIComponent(real.headers()['x-voxlab-meta']!)) as { shape: number[] };
    const values = new Float32Array((await real.body()).byteLength / 4);
    const nx = meta.shape[0]!;
    for (let i = 0; i < values.length; i++) values[i] = i % nx < nx / 2 ? -EFFECT : EFFECT; // x runs fastest
    await route.fulfill({ response: real, body: Buffer.from(values.buffer) });
  });
  await page.route(`**/images/${IMAGE}/maps`, async (route) => {
    const real = await route.fetch();
    const maps = (await real.json()) as { id: string; min: number; max: number }[];
    await route.fulfill({ response: real, json: maps.map((m) => (m.id === mapId ? { ...m, min: -EFFECT, max: EFFECT } : m)) });
  });
}

test('a map with negative values shows blue where hiding raised the output and red where it lowered it', async ({ ixi, request }) => {
  test.setTimeout(150_000);
  const mapId = await occlusionThroughApi(request, IMAGE);
  await craftMap(ixi, mapId);
  await expect(ixi.locator('body[data-ready="true"]')).toBeAttached({ timeout: 15_000 });
  await ixi.locator(`[data-image-id="${IMAGE}"]`).click();
  await expect(ixi.locator(`body[data-image-ready="${IMAGE}"]`)).toBeAttached({ timeout: 20_000 });
  await ixi.getByRole('tab', { name: 'Explain' }).click();
  const before = await viewPixels(ixi, 'axial');
  const item = ixi.getByTestId('map-list').locator(`li[data-map-id="${mapId}"]`);
  await item.locator('input[type="radio"]').check();
  await expect(ixi.locator(`body[data-overlay="${mapId}"][data-overlay-signed="true"]`)).toBeAttached({ timeout: 30_000 });
  await ixi.waitForTimeout(300);

  const signed = await viewPixels(ixi, 'axial');
  expect(signed.blue).toBeGreaterThan(before.blue + 0.1); // about half the view is the negative half
  expect(signed.red).toBeGreaterThan(before.red + 0.1);
  await expect(ixi.getByTestId('colorbar')).toHaveAttribute('data-signed', 'true');
  await expect(ixi.getByTestId('colorbar-zero')).toBeVisible();
  const ticks = (await ixi.getByTestId('colorbar-ticks').locator('span').allTextContents()).map(Number);
  expect(ticks).toContain(0);
  expect(ticks[0]).toBeCloseTo(-ticks.at(-1)!); // symmetric about 0
  await expect(ixi.getByTestId('colorbar-sign')).toContainText('negative = occluding it raises it'); // the recorded words
  const colormap = ixi.getByLabel('Colormap');
  await expect(colormap).toBeDisabled(); // the menu names what is drawn, not the sequential choice kept for later
  await expect(colormap.locator('option:checked')).toHaveText('Diverging (blue–white–red), signed');
  await ixi.screenshot({ path: path.join(SCREENSHOTS, 'signed-1-overlay.png') });
  await ixi.getByTestId('colorbar').screenshot({ path: path.join(SCREENSHOTS, 'signed-1-colorbar.png') });

  await ixi.getByTestId('sign-mode').selectOption('positive');
  await expect(ixi.locator('body[data-overlay-signed="false"]')).toBeAttached();
  await ixi.waitForTimeout(300);
  const positive = await viewPixels(ixi, 'axial');
  expect(positive.blue).toBeLessThan(signed.blue / 4); // the negative half is hidden (jet has some blue: small)
  await expect(ixi.getByTestId('negatives-hidden')).toBeVisible();
  await expect(colormap).toBeEnabled();
  await expect(colormap.locator('option:checked')).toHaveText('Jet');
  await ixi.screenshot({ path: path.join(SCREENSHOTS, 'signed-2-positive-only.png') });

  await ixi.getByTestId('sign-mode').selectOption('signed');
  await expect(ixi.locator('body[data-overlay-signed="true"]')).toBeAttached();
  await ixi.waitForTimeout(300);
  expect((await viewPixels(ixi, 'axial')).blue).toBeGreaterThan(before.blue + 0.1);

  // Only inside the head: the air outside is set to 0, which a signed overlay leaves transparent (not blue).
  await ixi.getByTestId('inside-head').check();
  await expect(ixi.locator('body[data-overlay-masked="true"][data-overlay-signed="true"]')).toBeAttached({ timeout: 30_000 });
  await ixi.waitForTimeout(300);
  const masked = await viewPixels(ixi, 'axial');
  expect(masked.blue).toBeLessThan(signed.blue * 0.8);
  expect(masked.blue).toBeGreaterThan(before.blue + 0.02);
  expect(masked.red).toBeGreaterThan(before.red + 0.02);
  await ixi.screenshot({ path: path.join(SCREENSHOTS, 'signed-3-inside-head.png') });
});
