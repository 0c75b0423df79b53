// The served UI opens with the token and lists the study's images through the contract; without the
// token the server answers 401.

import path from 'node:path';
import { SCREENSHOTS, expect, server, test } from './fixtures.js';

test('the page loads with the token and lists the study images', async ({ app }, info) => {
  await expect(app.locator('body[data-ready="true"]')).toBeAttached({ timeout: 15_000 });
  const rows = app.getByTestId('study-rows').locator('button[data-image-id]');
  await expect(rows).toHaveCount(server().images);
  await expect(app.locator('.study-list')).toContainText(`${server().images} scans`);
  const statuses = await rows.evaluateAll((bs) => bs.map((b) => b.getAttribute('data-status')));
  expect(statuses.every((s) => ['labeled', 'unlabeled', 'predicted'].includes(s ?? ''))).toBe(true);
  await app.getByRole('button', { name: /^unlabeled/ }).click();
  const unlabeled = statuses.filter((s) => s === 'unlabeled').length;
  await expect(rows).toHaveCount(unlabeled);
  const shot = await app.screenshot({ path: path.join(SCREENSHOTS, `${info.project.name}-study-list.png`) });
  expect(shot.length).toBeGreaterThan(1000);
});

test('the page lists the same images as the API', async ({ app, request }, info) => {
  test.skip(info.project.name === 'electron', 'HTTP only');
  const res = await request.get(`${server().url}/api/datastore`, {
    headers: { 'x-voxlab-token': server().token },
  });
  expect(res.status()).toBe(200);
  const ids = ((await res.json()) as { id: string }[]).map((i) => i.id).sort();
  await expect(app.locator('body[data-ready="true"]')).toBeAttached({ timeout: 15_000 });
  const shown = await app
    .getByTestId('study-rows')
    .locator('button[data-image-id]')
    .evaluateAll((bs) => bs.map((b) => b.getAttribute('data-image-id')));
  expect(shown).toEqual(ids);
});

test('without the token the server answers 401', async ({ browser, request }, info) => {
  test.skip(info.project.name === 'electron', 'the desktop app talks IPC, not HTTP');
  const context = await browser.newContext();
  const page = await context.newPage();
  const response = await page.goto(server().url);
  expect(response?.status()).toBe(401);
  await context.close();
  expect((await request.get(`${server().url}/api/datastore`)).status()).toBe(401);
  expect(
    (await request.get(`${server().url}/api/info`, { headers: { 'x-voxlab-token': 'wrong' } })).status(),
  ).toBe(401);
});
