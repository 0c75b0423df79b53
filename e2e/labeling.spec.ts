// Issue #6, must-show 2: three scans labeled by key (1-9 = the study's classes), saved at once through the
// core; after a reload the labels, their author and the history are still there. Also: another reader's
// change appears live, and a stale write is kept and shown as a conflict.

import path from 'node:path';
import { SCREENSHOTS, expect, ixiServer, test } from './fixtures.js';
import { IXI_UNLABELED } from './ixiStudy.js';

test('label three scans by key, reload: labels and history are there', async ({ ixi }) => {
  await expect(ixi.locator('body[data-ready="true"]')).toBeAttached({ timeout: 15_000 });
  await ixi.locator(`[data-image-id="${IXI_UNLABELED[0]}"]`).click();
  // Another reader takes over this browser: the header's Change asks for the name.
  await ixi.getByTestId('reader').getByRole('button', { name: 'Change' }).click();
  await ixi.getByLabel('Your name').fill('dr-e2e');
  await ixi.getByRole('button', { name: 'Start reading' }).click();
  await expect(ixi.getByTestId('reader')).toContainText('dr-e2e');
  const classes = await ixi.locator('.class-buttons .class-button').allTextContents();
  const picks = IXI_UNLABELED.map((id, n) => ({ id, key: String((n % 2) + 1) }));
  const chosen: Record<string, string> = {};
  for (const { id, key } of picks) {
    await ixi.locator(`[data-image-id="${id}"]`).click();
    await expect(ixi.locator(`body[data-image-ready="${id}"]`)).toBeAttached({ timeout: 20_000 }); // keys work once it is on screen
    await expect(ixi.getByTestId('current-label')).toContainText('Unlabeled');
    await ixi.locator('body').press(key);
    await expect(ixi.getByTestId('current-label-value')).not.toBeEmpty();
    chosen[id] = (await ixi.getByTestId('current-label-value').textContent())!;
    await expect(ixi.getByTestId('current-label')).toContainText('dr-e2e');
    await expect(ixi.locator(`[data-image-id="${id}"]`)).toHaveAttribute('data-status', 'labeled');
  }
  expect(Object.keys(chosen)).toHaveLength(3);
  expect(classes.length).toBeGreaterThanOrEqual(2);
  // A second label on the last scan, then undo: the history keeps all three versions.
  const last = picks.at(-1)!;
  await ixi.locator('body').press(last.key === '1' ? '2' : '1');
  await expect(ixi.getByTestId('current-label-value')).not.toHaveText(chosen[last.id]!);
  await ixi.locator('body').press('Control+z');
  await expect(ixi.getByTestId('current-label-value')).toHaveText(chosen[last.id]!);
  await expect(ixi.getByTestId('label-history').locator('li')).toHaveCount(3);
  await ixi.screenshot({ path: path.join(SCREENSHOTS, 'labeling-1-labeled.png') });

  await ixi.reload();
  await expect(ixi.locator('body[data-ready="true"]')).toBeAttached({ timeout: 15_000 });
  for (const { id } of picks) {
    await expect(ixi.locator(`[data-image-id="${id}"]`)).toHaveAttribute('data-status', 'labeled');
    await ixi.locator(`[data-image-id="${id}"]`).click();
    await expect(ixi.getByTestId('current-label-value')).toHaveText(chosen[id]!);
    await expect(ixi.getByTestId('label-history')).toContainText('dr-e2e');
  }
  await expect(ixi.getByTestId('label-history').locator('li')).toHaveCount(3);
  await expect(ixi.getByTestId('label-history')).toContainText('undo');
  await ixi.screenshot({ path: path.join(SCREENSHOTS, 'labeling-2-after-reload.png') });
});

test('the shortcut overlay opens with ? and closes with Escape', async ({ ixi }) => {
  await expect(ixi.locator('body[data-ready="true"]')).toBeAttached({ timeout: 15_000 });
  await ixi.locator('body').press('?');
  await expect(ixi.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await ixi.screenshot({ path: path.join(SCREENSHOTS, 'shortcuts-overlay.png') });
  await ixi.locator('body').press('Escape');
  await expect(ixi.getByRole('dialog')).toHaveCount(0);
});

test('another reader changes the label: it shows at once; a stale write is kept as a visible conflict', async ({ ixi, request }) => {
  const id = 'IXI012-HH-1211';
  const server = ixiServer();
  const headers = { 'x-voxlab-token': server.token };
  await expect(ixi.locator('body[data-ready="true"]')).toBeAttached({ timeout: 15_000 });
  await ixi.locator(`[data-image-id="${id}"]`).click();
  await expect(ixi.getByTestId('current-label-value')).toHaveText('M');
  const url = `${server.url}/api/datastore/images/${id}/label`;
  const current = (await (await request.get(url, { headers })).json()) as { version: number };
  const put = (label: string, author: string, expectedVersion: number) =>
    request.put(url, { headers, data: { label, author, expectedVersion } });
  expect((await put('F', 'dr-other', current.version)).status()).toBe(200);
  await expect(ixi.getByTestId('current-label')).toContainText('dr-other');
  await expect(ixi.getByTestId('current-label-value')).toHaveText('F');
  // A third reader answers against the old version: refused with 409, kept, and shown as a conflict.
  expect((await put('M', 'dr-late', current.version)).status()).toBe(409);
  await ixi.locator(`[data-image-id="IXI013-HH-1212"]`).click();
  await ixi.locator(`[data-image-id="${id}"]`).click();
  await expect(ixi.getByRole('alert').filter({ hasText: 'conflicting answer' })).toContainText('M by dr-late');
  await expect(ixi.getByTestId('label-history')).toContainText('conflict');
  await ixi.screenshot({ path: path.join(SCREENSHOTS, 'labeling-3-conflict.png') });
  // Setting the label again settles it (keys act once the scan is on screen).
  await expect(ixi.locator(`body[data-image-ready="${id}"]`)).toBeAttached({ timeout: 20_000 });
  await ixi.locator('body').press('1');
  await expect(ixi.getByRole('alert').filter({ hasText: 'conflicting answer' })).toHaveCount(0);
  await expect(ixi.getByTestId('current-label')).toContainText('v4');
});
