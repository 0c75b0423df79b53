// Issue #11, must-show 4 (first half): a study made from a DICOM folder (`voxlab import` of real Siemens
// series) opens in the app; the list shows patient / modality / series for each scan (and UIDs in its
// tooltip); the scan opens and is labeled. Own study and server.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SCREENSHOTS, asReturningReader, expect, test } from './fixtures.js';
import { SHARED_DATA } from './ixiStudy.js';
import { viewPixels } from './pixels.js';
import { REPO_ROOT, startServe } from './serveStudy.js';

test('a study imported from DICOM folders shows patient and series, opens and is labeled', async ({ browser }) => {
  test.setTimeout(120_000);
  const root = mkdtempSync(path.join(os.tmpdir(), 'voxlab-e2e-dicom-'));
  const studyDir = path.join(root, 'study');
  const cli = path.join(REPO_ROOT, 'bin', 'voxlab.js');
  for (const folder of ['trio_b17_t1_mprage', 'tcia_vs_seg_001_t1_mpr_tra_3slices'])
    execFileSync(process.execPath, [cli, 'import', path.join(SHARED_DATA, 'dicom', folder), '--study', studyDir], { stdio: 'pipe' });
  const served = await startServe(studyDir);
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  try {
    await asReturningReader(page);
    await page.goto(served.openUrl);
    await expect(page.locator('body[data-ready="true"]')).toBeAttached({ timeout: 15_000 });
    const mprage = page.locator('[data-image-id="19_t1_MPRAGEcr_noGRAPPA"]');
    await expect(mprage.getByTestId('row-source')).toHaveText('Rorden Lab · MR · t1_MPRAGEcr_noGRAPPA');
    await expect(mprage.locator('.row-id')).toHaveAttribute('title', /study 1\.3\.12\.2\.1107\.5\.2\.32\.35389\./);
    await expect(page.locator('[data-testid="row-source"]')).toHaveCount(2);
    await mprage.click();
    await expect(page.locator('body[data-image-ready="19_t1_MPRAGEcr_noGRAPPA"]')).toBeAttached({ timeout: 30_000 });
    await expect.poll(async () => (await viewPixels(page, 'sagittal')).std, { timeout: 5_000 }).toBeGreaterThan(10);
    // A class for this study, then the key labels the scan on screen.
    const manager = page.getByTestId('class-manager');
    await manager.locator('summary').click();
    await manager.getByLabel('New class name').fill('normal');
    await manager.getByRole('button', { name: 'Add class' }).click();
    await expect(page.locator('.class-buttons')).toContainText('normal'); // the new class has key 1
    await page.locator('body').press('1');
    await expect(page.getByTestId('current-label-value')).toHaveText('normal');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dicom-1-study.png') });
    const label = (await (
      await context.request.get(`${served.url}/api/datastore/images/19_t1_MPRAGEcr_noGRAPPA/label`, { headers: { 'x-voxlab-token': served.token } })
    ).json()) as { label: string };
    expect(label.label).toBe('normal');
  } finally {
    await context.close();
    served.child.kill('SIGTERM');
    rmSync(root, { recursive: true, force: true });
  }
});
