// The served UI opens with the token and lists the study's images through the contract (HTTP-only checks:
// server.spec.ts).

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
