// Issue #11 in the app: "Open DICOM folder…" uploads a real Siemens series (four files at a time) and the
// core's import job converts it; the report lists the series, the study list shows patient · modality ·
// series, the scan opens and is labeled by its class key (checked through the API). A folder without DICOM
// files is refused in words and the app stays usable. The PACS dialog and the SEG buttons are reachable by
// role and name, and the dialog keeps the keyboard (Escape, Tab). The PACS and SEG round trips belong to the
// Orthanc spec. Own study and server.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { SCREENSHOTS, asReturningReader, expect, test } from './fixtures.js';
import { SHARED_DATA } from './ixiStudy.js';
import { viewPixels } from './pixels.js';
import { makeStudy, startServe } from './serveStudy.js';

const MPRAGE_DIR = path.join(SHARED_DATA, 'dicom', 'trio_b17_t1_mprage');
const MPRAGE_ID = '19_t1_MPRAGEcr_noGRAPPA';

let served: Awaited<ReturnType<typeof startServe>>;
let root: string;

test.beforeAll(async () => {
  test.setTimeout(60_000);
  const study = makeStudy(2);
  root = study.root;
  served = await startServe(study.studyDir);
});

test.afterAll(() => {
  if (served === undefined) return;
  served.child.kill('SIGTERM');
  rmSync(root, { recursive: true, force: true });
});

test.beforeEach(async ({ page }) => {
  await asReturningReader(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(served.openUrl);
  await expect(page.locator('body[data-ready="true"]')).toBeAttached({ timeout: 15_000 });
});

const api = (page: Page, route: string) =>
  page.context().request.get(`${served.url}/api${route}`, { headers: { 'x-voxlab-token': served.token } });

test('a DICOM folder chosen in the app is uploaded, imported, listed, opened and labeled', async ({ page }) => {
  test.setTimeout(180_000);
  const classes = (await (await api(page, '/classes')).json()) as { name: string; key: number | null }[];
  const keyed = classes.find((c) => c.key === 1);
  expect(keyed, 'the synthetic study has a class on key 1').toBeDefined();

  await expect(page.getByRole('button', { name: 'Open DICOM folder…' })).toBeEnabled();
  await page.getByTestId('dicom-folder-input').setInputFiles(MPRAGE_DIR);
  const panel = page.getByRole('dialog', { name: 'DICOM import' });
  await expect(panel).toBeVisible();
  await expect(panel.getByRole('heading')).toContainText('trio_b17_t1_mprage');
  // The upload or the conversion job, whichever is on screen now (both show progress with Cancel).
  await expect(panel.getByTestId('import-progress')).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Cancel' })).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'dicomApp-1-progress.png') });

  const report = panel.getByTestId('import-report');
  await expect(report).toBeVisible({ timeout: 150_000 });
  await expect(report).toContainText('1 series imported');
  await expect(report.getByRole('button', { name: MPRAGE_ID })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Open DICOM folder…' })).toBeEnabled();

  // The list has the new scan with patient · modality · series; the first imported scan opened by itself.
  const row = page.getByTestId('study-rows').locator(`[data-image-id="${MPRAGE_ID}"]`);
  await expect(row.getByTestId('row-source')).toHaveText('Rorden Lab · MR · t1_MPRAGEcr_noGRAPPA');
  await expect(page.locator(`body[data-image-ready="${MPRAGE_ID}"]`)).toBeAttached({ timeout: 30_000 });
  await expect.poll(async () => (await viewPixels(page, 'sagittal')).std, { timeout: 5_000 }).toBeGreaterThan(10);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'dicomApp-2-report.png') });

  // Opening it from the report is the same as choosing it in the list; Escape closes the finished report.
  await report.getByRole('button', { name: MPRAGE_ID }).click();
  await expect(row).toHaveClass(/selected/);
  await panel.press('Escape');
  await expect(panel).toBeHidden();

  await page.locator('body').press('1');
  await expect(page.getByTestId('current-label-value')).toHaveText(keyed!.name);
  await expect(row.getByTestId('row-label')).toHaveText(keyed!.name);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'dicomApp-3-labeled.png') });
  const label = (await (await api(page, `/datastore/images/${MPRAGE_ID}/label`)).json()) as { label: string; author: string };
  expect(label).toMatchObject({ label: keyed!.name, author: 'e2e-reader' });
  const image = (await (await api(page, `/datastore/images/${MPRAGE_ID}`)).json()) as { addedBy: string; source: { kind: string } | null };
  expect(image).toMatchObject({ addedBy: 'e2e-reader', source: { kind: 'dicom' } });
});

test('a folder without DICOM files is refused in words and the app stays usable', async ({ page }) => {
  test.setTimeout(60_000);
  const junk = mkdtempSync(path.join(os.tmpdir(), 'voxlab-e2e-notdicom-'));
  try {
    writeFileSync(path.join(junk, 'notes.txt'), 'not a DICOM file\n');
    writeFileSync(path.join(junk, 'scan.nii'), Buffer.alloc(512, 7));
    writeFileSync(path.join(junk, 'IM0001'), Buffer.alloc(200, 1));
    const before = ((await (await api(page, '/datastore')).json()) as unknown[]).length;
    await page.getByTestId('dicom-folder-input').setInputFiles(junk);
    const panel = page.getByRole('dialog', { name: 'DICOM import' });
    await expect(panel.getByRole('alert')).toContainText('None of the uploaded files is a DICOM file', { timeout: 30_000 });
    await expect(panel.getByRole('button', { name: 'Try again' })).toHaveCount(0); // the same files would fail again
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dicomApp-4-not-dicom.png') });
    expect(((await (await api(page, '/datastore')).json()) as unknown[]).length).toBe(before);

    await panel.getByRole('button', { name: 'Close import' }).click();
    await expect(panel).toBeHidden();
    const first = page.getByTestId('study-rows').locator('[data-image-id^="synth_"]').first();
    const id = await first.getAttribute('data-image-id');
    await first.click();
    await expect(page.locator(`body[data-image-ready="${id}"]`)).toBeAttached({ timeout: 30_000 });
    await expect(page.getByRole('button', { name: 'Open DICOM folder…' })).toBeEnabled();
  } finally {
    rmSync(junk, { recursive: true, force: true });
  }
});

test('without a reader the import is refused in words, and Try again sends the same files once a name is given', async ({ browser }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage(); // a first visit: nobody has said who is reading
  try {
    await page.goto(served.openUrl);
    await expect(page.locator('body[data-ready="true"]')).toBeAttached({ timeout: 15_000 });
    await page.getByTestId('dicom-folder-input').setInputFiles(path.join(SHARED_DATA, 'dicom', 'tcia_vs_seg_001_t1_mpr_tra_3slices'));
    const panel = page.getByRole('dialog', { name: 'DICOM import' });
    await expect(panel.getByRole('alert')).toContainText('Not imported: enter your name first');
    const reader = page.getByRole('dialog', { name: 'Who is reading?' });
    await expect(reader).toContainText('to import DICOM series');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dicomApp-6-no-reader.png') });
    await reader.getByLabel('Your name').fill('e2e-second-reader');
    await reader.getByRole('button', { name: 'Start reading' }).click();
    await panel.getByRole('button', { name: 'Try again' }).click();
    const report = panel.getByTestId('import-report');
    await expect(report).toContainText('1 series imported', { timeout: 90_000 });
    const imageId = await report.getByRole('listitem').getByRole('button').first().getAttribute('data-image-id');
    const image = (await (
      await context.request.get(`${served.url}/api/datastore/images/${imageId}`, { headers: { 'x-voxlab-token': served.token } })
    ).json()) as { addedBy: string; source: { patientId: string } | null };
    expect(image).toMatchObject({ addedBy: 'e2e-second-reader', source: { patientId: 'VS-SEG-001' } });
  } finally {
    await context.close();
  }
});

test('the PACS dialog and the SEG buttons are reachable by role and name, and the dialog keeps the keyboard', async ({ page }) => {
  const connect = page.getByRole('button', { name: 'Connect to PACS…' });
  await connect.click();
  const dialog = page.getByRole('dialog', { name: 'Connect to PACS' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('DICOMweb URL')).toBeFocused();
  await dialog.getByLabel('DICOMweb URL').fill('http://127.0.0.1:9/dicom-web');
  await dialog.getByLabel('Authorization header').fill('Basic ZTJlOnNlY3JldA==');
  await dialog.getByLabel('Modality').fill('1'); // a digit typed here must not label the scan behind
  await expect(dialog.getByLabel('Studies since')).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Search' })).toBeEnabled();
  await expect(dialog).toContainText('Kept in memory only');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'dicomApp-5-pacs-dialog.png') });
  // Tab from the last control comes back to the first; Escape closes and gives focus back to the button.
  await dialog.getByRole('button', { name: 'Search' }).focus();
  await page.keyboard.press('Tab');
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(dialog.getByRole('button', { name: 'Search' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(connect).toBeFocused();
  const storage = await page.evaluate(() => JSON.stringify(Object.entries((globalThis as unknown as { localStorage: object }).localStorage)));
  expect(storage).not.toContain('ZTJlOnNlY3JldA');

  // A synthetic NIfTI scan has no DICOM source: both SEG buttons are there, disabled, and say why.
  await page.getByTestId('study-rows').locator('[data-image-id^="synth_"]').first().click();
  await page.getByRole('tab', { name: 'Segment' }).click();
  for (const name of ['Save as DICOM SEG', 'Send SEG to PACS']) {
    const button = page.getByRole('button', { name });
    await expect(button).toBeDisabled();
    await expect(button).toHaveAttribute('title', /not imported from DICOM/);
  }
  await page.screenshot({ path: path.join(SCREENSHOTS, 'dicomApp-7-seg-buttons.png') });
});
