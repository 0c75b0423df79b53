// Issue #11, must-show "Orthanc round trip" in the app, as a clinician does it: Connect to PACS…, Search a real
// Orthanc (DICOMweb) holding a Siemens series, Import selected, paint on the opened scan with the brush (every
// stroke is saved as a labelmap version), Save as DICOM SEG (a download), Send SEG to PACS; then the SEG is
// read back from Orthanc and decoded onto the scan's grid: it equals the study's labelmap voxel for voxel.
// A wrong URL is refused in words and the dialog stays usable; a second Search shows the series in the study.
// Own Orthanc, study and server; skipped only where Orthanc is not installed (CI installs it).

import { readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { readSeg } from '../core/dicom/seg/readSeg.js';
import { segToLabelmap } from '../core/dicom/seg/segToLabelmap.js';
import { retrieveSeries, searchSeries } from '../core/dicomweb/index.js';
import { TCIA_3, dicomFiles } from '../core/dicomweb/testing/data.js';
import { freePort, startOrthanc, type OrthancServer } from '../core/dicomweb/testing/orthanc.js';
import { readNiftiHeader } from '../core/io/readNifti.js';
import { SCREENSHOTS, asReturningReader, expect, test } from './fixtures.js';
import { viewPixels } from './pixels.js';
import { makeStudy, startServe } from './serveStudy.js';

/** What Orthanc holds: TCIA VS-SEG-001, one MR series (number 2) of 3 axial 512x512 slices. */
const PATIENT = 'VS-SEG-001';

let orthanc: OrthancServer | undefined;
let served: Awaited<ReturnType<typeof startServe>> | undefined;
let root: string;
let studyDir: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  // Orthanc is a test requirement (.ci/run installs it): without it startOrthanc fails, saying what to install.
  test.setTimeout(60_000);
  orthanc = await startOrthanc();
  await orthanc.uploadFiles(dicomFiles(TCIA_3));
  const study = makeStudy(1, '16,16,16');
  root = study.root;
  studyDir = study.studyDir;
  served = await startServe(studyDir);
});

test.afterAll(async () => {
  served?.child.kill('SIGTERM');
  await orthanc?.stop();
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
});

test.beforeEach(async ({ page }) => {
  await asReturningReader(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(served!.openUrl);
  await expect(page.locator('body[data-ready="true"]')).toBeAttached({ timeout: 15_000 });
});

/** GET /api`route` of this spec's server, as bytes (status checked). */
async function api(page: Page, route: string): Promise<Buffer> {
  const res = await page.context().request.get(`${served!.url}/api${route}`, { headers: { 'x-voxlab-token': served!.token } });
  expect(res.status(), `${route}: ${res.status()}`).toBe(200);
  return res.body();
}
const apiJson = async <T>(page: Page, route: string): Promise<T> => JSON.parse((await api(page, route)).toString()) as T;

/** Opens "Connect to PACS…", types `url`, searches; the dialog. */
async function searchFor(page: Page, url: string) {
  await page.getByRole('button', { name: 'Connect to PACS…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Connect to PACS' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('DICOMweb URL').fill(url);
  await dialog.getByRole('button', { name: 'Search' }).click();
  return dialog;
}

/** Overlay (labelmap) pixels drawn on the axial view's canvas. */
function paintedPixels(page: Page): Promise<number> {
  return page.getByTestId('labelmap-axial').evaluate((c) => {
    const canvas = c as unknown as { width: number; height: number; getContext(k: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
    const px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 3; i < px.length; i += 4) if (px[i]! > 0) n++;
    return n;
  });
}

test('round trip: a series imported from Orthanc is painted, saved and sent back as DICOM SEG, and reads back voxel for voxel', async ({ page }) => {
  test.setTimeout(90_000);
  // Search: one row, the MR series 2 of the patient, 3 instances, not yet in the study (so selected).
  const dialog = await searchFor(page, orthanc!.root);
  const table = dialog.getByRole('table', { name: 'Series on the PACS' });
  const row = table.locator('tbody tr');
  await expect(row).toHaveCount(1, { timeout: 15_000 });
  const cells = row.locator('td');
  await expect(cells.nth(1)).toHaveText(PATIENT);
  await expect(cells.nth(5)).toHaveText('MR');
  await expect(cells.nth(6)).toHaveText(/^2( · |$)/);
  await expect(cells.nth(7)).toHaveText('3');
  await expect(cells.nth(8)).toHaveText('');
  await expect(row.getByRole('checkbox')).toBeChecked();
  await expect(dialog.getByTestId('pacs-summary')).toHaveText('1 series on the PACS, 0 already in this study; 1 selected.');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'pacs-1-search.png') });

  // Import selected: the dialog closes, the import panel reports the series, and the scan opens by itself.
  await dialog.getByRole('button', { name: 'Import selected' }).click();
  await expect(dialog).toBeHidden();
  const panel = page.getByRole('dialog', { name: 'DICOM import' });
  const report = panel.getByTestId('import-report');
  await expect(report).toContainText('1 series imported', { timeout: 30_000 });
  const imageId = (await report.getByRole('listitem').getByRole('button').first().getAttribute('data-image-id'))!;
  expect(imageId).toBeTruthy();
  await expect(page.locator(`body[data-image-ready="${imageId}"]`)).toBeAttached({ timeout: 30_000 });
  const listRow = page.getByTestId('study-rows').locator(`[data-image-id="${imageId}"]`);
  await expect(listRow.getByTestId('row-source')).toContainText(`${PATIENT} · MR`);
  await expect.poll(async () => (await viewPixels(page, 'axial')).std, { timeout: 5_000 }).toBeGreaterThan(10);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'pacs-2-imported.png') });
  await panel.getByRole('button', { name: 'Close import' }).click();
  await expect(panel).toBeHidden();

  // Paint: the brush (5 mm), one stroke across the middle of the axial slice (saved as version 1), then Save.
  await page.getByRole('tab', { name: 'Segment' }).click();
  const seg = page.getByTestId('seg-panel');
  await seg.getByRole('button', { name: 'Brush', exact: true }).click();
  await seg.locator('input[name="radius"]').fill('5');
  const box = (await page.locator('section[data-view="axial"]').boundingBox())!;
  const start = { x: box.x + box.width * 0.45, y: box.y + box.height * 0.5 };
  await page.mouse.move(start.x, start.y);
  await expect(page.getByTestId('readout-ijk')).not.toBeEmpty();
  const ijk = (await page.getByTestId('readout-ijk').textContent())!.split(', ').map(Number) as [number, number, number];
  await page.mouse.down();
  await page.mouse.move(start.x + 40, start.y, { steps: 6 });
  await page.mouse.up();
  await expect(page.getByTestId('seg-status')).toHaveAttribute('data-version', '1');
  await expect.poll(() => paintedPixels(page)).toBeGreaterThan(40);
  await seg.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('seg-status')).toHaveAttribute('data-version', '2');
  await expect(page.getByTestId('seg-status')).toHaveText('Saved as labelmap version 2');

  // Save as DICOM SEG: a download named after the scan and the saved version, a DICOM Part 10 file.
  const segBox = page.getByTestId('seg-dicom');
  const result = segBox.getByTestId('seg-dicom-result');
  const [download] = await Promise.all([page.waitForEvent('download'), segBox.getByRole('button', { name: 'Save as DICOM SEG' }).click()]);
  expect(download.suggestedFilename()).toBe(`${imageId}_seg-v2.dcm`);
  const file = readFileSync((await download.path())!);
  expect(file.subarray(128, 132).toString('latin1')).toBe('DICM');
  await expect(result).toContainText(`Saved ${imageId}_seg-v2.dcm`);
  await expect(result).toContainText('(1 segment, labelmap version 2)');

  // Send SEG to PACS: the PACS searched above is the connected one; the message names the SEG series.
  await segBox.getByRole('button', { name: 'Send SEG to PACS' }).click();
  await expect(result).toContainText('Sent to the PACS as SEG series', { timeout: 30_000 });
  await expect(result).toContainText('(1 segment, labelmap version 2)');
  const segUid = /SEG series ([0-9.]+) /.exec((await result.textContent())!)![1]!;
  await page.screenshot({ path: path.join(SCREENSHOTS, 'pacs-3-sent.png') });

  // Read back from Orthanc: the SEG references the imported series and decodes to the saved labelmap.
  const image = await apiJson<{ shape: number[]; source: { seriesInstanceUid: string; studyInstanceUid: string } }>(page, `/datastore/images/${imageId}`);
  const rows = await searchSeries({ url: orthanc!.root }, { filter: { Modality: 'SEG' } });
  const segRow = rows.find((r) => r.seriesInstanceUid === segUid);
  expect(segRow, `SEG series ${segUid} on the PACS`).toBeDefined();
  expect(segRow!.studyInstanceUid).toBe(image.source.studyInstanceUid);
  const [retrieved] = await retrieveSeries({ url: orthanc!.root }, segRow!.studyInstanceUid, segRow!.seriesInstanceUid);
  const info = readSeg(retrieved!.bytes);
  expect(info.referencedSeriesInstanceUid).toBe(image.source.seriesInstanceUid);
  expect(info.segments.map((x) => x.label)).toEqual(['Segment 1']); // the name the segment table shows
  const [nx, ny, nz] = image.shape as [number, number, number];
  const imageFile = readdirSync(path.join(studyDir, 'images')).find((f) => f.startsWith(`${imageId}.nii`));
  expect(imageFile, `the imported scan's file in ${studyDir}/images`).toBeDefined();
  const { affine } = await readNiftiHeader(path.join(studyDir, 'images', imageFile!));
  const saved = await api(page, `/datastore/images/${imageId}/labelmap`);
  expect(saved.length).toBe(nx * ny * nz);
  expect(saved[ijk[0] + nx * (ijk[1] + ny * ijk[2])], 'the voxel under the stroke start').toBe(1);
  expect(saved.reduce((n, v) => n + (v !== 0 ? 1 : 0), 0)).toBeGreaterThan(100);
  expect(Buffer.from(segToLabelmap(retrieved!.bytes, [nx, ny, nz], affine)).equals(saved)).toBe(true);
  expect(Buffer.from(segToLabelmap(new Uint8Array(file), [nx, ny, nz], affine)).equals(saved)).toBe(true);
});

test('a wrong URL is refused in words and the dialog stays usable; a second search shows the series in the study and the SEG as no scan', async ({ page }) => {
  const closed = await freePort();
  const dialog = await searchFor(page, `http://127.0.0.1:${closed}/dicom-web`);
  const alert = dialog.getByRole('alert');
  await expect(alert).toContainText(/The PACS (cannot be reached|at .* did not answer)/, { timeout: 20_000 });
  await expect(alert).toContainText('Check the DICOMweb URL');
  await expect(dialog.getByRole('table')).toHaveCount(0);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'pacs-4-wrong-url.png') });

  // The same dialog, the right URL: the series is there, already in the study; the SEG sent back by the round
  // trip is there too, but is no scan. Nothing is selected, nothing can be imported.
  const imported = (await apiJson<{ source: { seriesInstanceUid: string } | null }[]>(page, '/datastore')).find((i) => i.source != null);
  expect(imported, 'the scan imported by the round trip').toBeDefined();
  await expect(dialog.getByLabel('DICOMweb URL')).toBeEditable();
  await dialog.getByLabel('DICOMweb URL').fill(orthanc!.root);
  await dialog.getByRole('button', { name: 'Search' }).click();
  await expect(alert).toBeHidden();
  const rows = dialog.getByRole('table', { name: 'Series on the PACS' }).locator('tbody tr');
  await expect(rows).toHaveCount(2, { timeout: 15_000 });
  const scan = rows.and(dialog.locator(`tr[data-series-uid="${imported!.source!.seriesInstanceUid}"]`));
  await expect(scan.locator('td').nth(5)).toHaveText('MR');
  await expect(scan.locator('td').nth(8)).toHaveText('✓ in study');
  await expect(scan.getByRole('checkbox')).toBeDisabled();
  const segRow = rows.filter({ has: page.locator('td:nth-child(6)', { hasText: /^SEG$/ }) });
  await expect(segRow.locator('td').nth(8)).toHaveText('not a scan');
  await expect(segRow.getByRole('checkbox')).toBeDisabled();
  await expect(dialog.getByTestId('pacs-summary')).toHaveText('2 series on the PACS, 1 already in this study, 1 not a scan (SEG, reports…); 0 selected.');
  await expect(dialog.getByRole('button', { name: 'Import selected' })).toBeDisabled();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'pacs-5-in-study.png') });
});
