// Issue #10, "Safety and trust": never show or label one scan under another's name, know who labels,
// survive a server restart without losing a label, keep predictions apart from labels, and undo what the
// reader sees. Real `voxlab serve`, real IXI scans, Chromium. Screenshots under e2e-output/screenshots/.

import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { APIRequestContext, Page } from '@playwright/test';
import { E2E_READER, SCREENSHOTS, asReturningReader, expect, ixiServer, test } from './fixtures.js';
import { IXI_MODEL, SHARED_DATA } from './ixiStudy.js';
import { runJobThroughApi } from './ixiApi.js';
import { viewPixels } from './pixels.js';
import { makeStudy, startServe } from './serveStudy.js';

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `safety-${name}.png`) });
const headers = () => ({ 'x-voxlab-token': ixiServer().token });

/** Adds a copy of an IXI scan to the IXI study as `id`; returns the study's own copy (a file the spec may remove). */
async function addScratchScan(request: APIRequestContext, id: string): Promise<string> {
  const server = ixiServer();
  mkdirSync(path.join(server.studyDir, 'incoming'), { recursive: true });
  const file = path.join(server.studyDir, 'incoming', `${id}.nii.gz`);
  copyFileSync(path.join(SHARED_DATA, 'ixi', 't1', 'IXI048-HH-1326_T1.nii.gz'), file);
  const res = await request.post(`${server.url}/api/datastore/images`, { headers: headers(), data: { path: `incoming/${id}.nii.gz`, author: 'e2e-setup', id } });
  expect(res.status(), await res.text()).toBe(200);
  // datastore.add copies the scan into images/: that copy is what the study reads.
  const stored = readdirSync(path.join(server.studyDir, 'images')).filter((f) => f.startsWith(`${id}.`));
  expect(stored).toHaveLength(1);
  return path.join(server.studyDir, 'images', stored[0]!);
}

async function labelOf(request: APIRequestContext, id: string): Promise<{ label: string | null; author: string | null; version: number }> {
  const res = await request.get(`${ixiServer().url}/api/datastore/images/${id}/label`, { headers: headers() });
  return (await res.json()) as { label: string | null; author: string | null; version: number };
}

async function openScan(page: Page, id: string): Promise<void> {
  await page.locator(`[data-image-id="${id}"]`).click();
  await expect(page.locator(`body[data-image-ready="${id}"]`)).toBeAttached({ timeout: 20_000 });
  await expect.poll(async () => (await viewPixels(page, 'axial')).std, { timeout: 5_000 }).toBeGreaterThan(15);
}

test('a scan whose file is gone: no old pixels, no label, an error that says what to do; back once the file is', async ({ ixi, request }) => {
  const id = 'IXI-vanishing';
  const file = await addScratchScan(request, id);
  await expect(ixi.locator('body[data-ready="true"]')).toBeAttached({ timeout: 15_000 });
  await expect(ixi.locator(`[data-image-id="${id}"]`)).toBeVisible({ timeout: 10_000 });
  await openScan(ixi, 'IXI012-HH-1211'); // another scan's pixels are on screen
  rmSync(file);

  await ixi.locator(`[data-image-id="${id}"]`).click();
  await expect(ixi.getByTestId('scan-error')).toContainText('is missing');
  await expect(ixi.getByTestId('scan-error')).toContainText('Put the file back');
  await expect(ixi.getByTestId('header-scan')).toHaveText(`${id} (could not open)`);
  await expect(ixi.getByTestId('viewer')).toHaveAttribute('data-shown-image', '');
  // Nothing of IXI012 is left on any view: the canvases were cleared and are hidden.
  for (const view of ['axial', 'coronal', 'sagittal']) {
    expect((await viewPixels(ixi, view)).lit, view).toBeLessThan(0.01);
    await expect(ixi.locator(`section[data-view="${view}"] canvas`).first()).toBeHidden();
  }
  await ixi.locator('body').press('1');
  await expect(ixi.getByTestId('label-locked')).toContainText('Labeling is off');
  await expect(ixi.locator('.class-buttons .class-button').first()).toBeDisabled();
  await shot(ixi, '1-file-gone');
  expect(await labelOf(request, id)).toMatchObject({ label: null, version: 0 });

  // The file is back: Try again opens it, and only then does the key label it.
  copyFileSync(path.join(SHARED_DATA, 'ixi', 't1', 'IXI048-HH-1326_T1.nii.gz'), file);
  await ixi.getByRole('button', { name: 'Try again' }).click();
  await expect(ixi.locator(`body[data-image-ready="${id}"]`)).toBeAttached({ timeout: 20_000 });
  await ixi.locator('body').press('1');
  await expect(ixi.getByTestId('current-label-value')).not.toBeEmpty();
  await expect.poll(async () => (await labelOf(request, id)).author).toBe(E2E_READER);
  await shot(ixi, '2-file-back');
});

test('the reader is asked once, shown in the header, remembered after a reload; no name, no write', async ({ browser, request }) => {
  const id = 'IXI-identity';
  await addScratchScan(request, id);
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  try {
    await page.goto(ixiServer().openUrl);
    const dialog = page.getByRole('dialog', { name: 'Who is reading?' });
    await expect(dialog).toBeVisible();
    await expect(page.getByTestId('reader')).toContainText('nobody yet');
    await expect(dialog.getByRole('button', { name: 'Start reading' })).toBeDisabled();
    await dialog.getByLabel('Your name').fill('   ');
    await expect(dialog.getByRole('button', { name: 'Start reading' })).toBeDisabled();
    await shot(page, '3-who-is-reading');
    await dialog.getByLabel('Your name').fill('Dr. Grey');
    await dialog.getByRole('button', { name: 'Start reading' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByTestId('reader')).toContainText('Dr. Grey');
    await openScan(page, id);
    await page.locator('body').press('2');
    await expect.poll(async () => (await labelOf(request, id)).author).toBe('Dr. Grey');

    await page.reload();
    await expect(page.locator('body[data-ready="true"]')).toBeAttached({ timeout: 15_000 });
    await expect(page.getByRole('dialog', { name: 'Who is reading?' })).toHaveCount(0);
    await expect(page.getByTestId('reader')).toContainText('Dr. Grey');
    await shot(page, '4-reader-remembered');
  } finally {
    await context.close();
  }
});

test('predictions never look like labels: own column, confidence, model; inference says it stores one', async ({ ixi, request }) => {
  const id = 'niivue_nifti_space_RAS';
  await runJobThroughApi(request, `/infer/${IXI_MODEL}`, { imageId: id }, 30_000);
  await expect(ixi.locator('body[data-ready="true"]')).toBeAttached({ timeout: 15_000 });
  const row = ixi.locator(`[data-image-id="${id}"]`);
  await expect(row).toHaveAttribute('data-status', 'predicted');
  await expect(row.getByTestId('row-label')).toHaveText('');
  await expect(row.getByTestId('row-prediction')).toHaveText(/^[MF]\? \d{1,3}%$/);
  await openScan(ixi, id);
  await expect(ixi.getByTestId('current-label')).toContainText('Unlabeled');
  await expect(ixi.getByTestId('prediction-note')).toContainText('not a label');
  await expect(ixi.getByTestId('prediction-note')).toContainText(`model ${IXI_MODEL}`);
  await expect(ixi.getByTestId('prediction-note')).toHaveText(/\d{1,3}%/);
  await ixi.getByRole('tab', { name: 'Explain' }).click();
  await expect(ixi.getByTestId('infer-stores')).toContainText('stores');
  await shot(ixi, '5-prediction-apart');
});

test('Ctrl+Z undoes what the reader sees: not a hidden label from the Segment panel; it says what it undid', async ({ ixi, request }) => {
  const id = 'IXI-undo';
  await addScratchScan(request, id);
  await expect(ixi.locator('body[data-ready="true"]')).toBeAttached({ timeout: 15_000 });
  await expect(ixi.locator(`[data-image-id="${id}"]`)).toBeVisible({ timeout: 10_000 });
  await openScan(ixi, id);
  await ixi.locator('body').press('1');
  await expect.poll(async () => (await labelOf(request, id)).version).toBe(1);
  const set = (await labelOf(request, id)).label;

  await ixi.getByRole('tab', { name: 'Segment' }).click();
  await ixi.locator('body').press('Control+z');
  await expect(ixi.getByTestId('notice')).toBeVisible();
  await expect(ixi.getByTestId('notice')).not.toContainText('label');
  await shot(ixi, '6-undo-in-segment');
  expect(await labelOf(request, id)).toMatchObject({ label: set, version: 1 });

  await ixi.getByRole('tab', { name: 'Label' }).click();
  await ixi.locator('body').press('Control+z');
  await expect(ixi.getByTestId('notice')).toContainText(`Undid the label of ${id}: ${set} → unlabeled`);
  await expect.poll(async () => (await labelOf(request, id)).label).toBeNull();
  await shot(ixi, '7-undo-in-label');
});

test('server restart: the page stays, shows the outage, keeps a label set meanwhile and sends it; friendly 401 page', async ({ browser }) => {
  test.setTimeout(120_000);
  const { root, studyDir } = makeStudy(4);
  let served = await startServe(studyDir);
  const port = Number(new URL(served.url).port);
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  try {
    await asReturningReader(page);
    await page.goto(served.openUrl);
    await expect(page.locator('body[data-ready="true"]')).toBeAttached({ timeout: 15_000 });
    const ids = await page.locator('[data-image-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-image-id')!));
    // Every scan of the synthetic cohort comes labeled: the reader clears one label (key 0) while the server is down.
    const target = ids[0]!;
    await page.locator(`[data-image-id="${target}"]`).click();
    await expect(page.locator(`body[data-image-ready="${target}"]`)).toBeAttached({ timeout: 20_000 });
    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'online');

    const exited = new Promise((r) => served.child.once('exit', r));
    served.child.kill('SIGKILL');
    await exited;
    await page.locator('body').press('0');
    await expect(page.getByTestId('unsaved-labels')).toContainText(target);
    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'offline');
    await expect(page.getByTestId('connection')).toContainText('1 not saved');
    await expect(page.locator(`[data-image-id="${target}"]`)).toContainText('unsaved');
    await shot(page, '8-server-down-not-saved');

    const token = served.token;
    served = await startServe(studyDir, port);
    expect(served.token).toBe(token); // the same study keeps its token
    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'online', { timeout: 15_000 });
    await expect(page.getByTestId('unsaved-labels')).toHaveCount(0);
    const api = `${served.url}/api/datastore/images/${target}/label`;
    const stored = (await (await context.request.get(api, { headers: { 'x-voxlab-token': token } })).json()) as { label: string | null; author: string; version: number };
    expect(stored).toMatchObject({ label: null, author: E2E_READER, version: 2 });
    await expect(page.locator(`[data-image-id="${target}"]`)).toHaveAttribute('data-status', 'unlabeled');
    // The page keeps working: another scan opens, a reload shows the app (not raw JSON).
    const other = ids.find((i) => i !== target)!;
    await page.locator(`[data-image-id="${other}"]`).click();
    await expect(page.locator(`body[data-image-ready="${other}"]`)).toBeAttached({ timeout: 20_000 });
    await page.reload();
    await expect(page.locator('body[data-ready="true"]')).toBeAttached({ timeout: 15_000 });
    await expect(page.locator('[data-image-id]')).toHaveCount(ids.length);
    await shot(page, '9-after-restart');

    // A browser without the link gets a page that says what to do.
    const stranger = await browser.newPage();
    await stranger.goto(served.url);
    await expect(stranger.locator('h1')).toHaveText('This voxlab page needs its access link');
    await stranger.screenshot({ path: path.join(SCREENSHOTS, 'safety-10-friendly-401.png') });
    await stranger.close();
  } finally {
    await context.close();
    served.child.kill('SIGTERM');
    rmSync(root, { recursive: true, force: true });
  }
});
