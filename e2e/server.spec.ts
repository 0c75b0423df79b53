// The served UI against the HTTP API: the page shows what /api/datastore lists, and without the token the
// server answers 401. HTTP only: the desktop app talks IPC, so the electron project does not run this
// file (playwright.config.ts testIgnore).

import { expect, server, test } from './fixtures.js';

test('the page lists the same images as the API', async ({ app, request }) => {
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

test('without the token the server answers 401', async ({ browser, request }) => {
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
