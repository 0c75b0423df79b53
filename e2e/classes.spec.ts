// Issue #10: classes are managed in the app (add, rename, colour, key), not only through a CSV. A rename
// re-labels the scans of that class as new versions; refusals say why. Own study and server (renaming the
// shared studies' classes would change what the other specs see).

import { rmSync } from 'node:fs';
import path from 'node:path';
import { SCREENSHOTS, asReturningReader, expect, test } from './fixtures.js';
import { makeStudy, startServe } from './serveStudy.js';

test('add a class with a key, label by that key, rename and recolour a class, refusals in words', async ({ browser }) => {
  const { root, studyDir } = makeStudy(4);
  const served = await startServe(studyDir);
  const headers = { 'x-voxlab-token': served.token };
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const api = async <T,>(p: string): Promise<T> => (await (await context.request.get(`${served.url}/api${p}`, { headers })).json()) as T;
  try {
    await asReturningReader(page);
    page.on('dialog', (d) => void d.accept()); // "Rename ...? N scans get the new name": yes
    await page.goto(served.openUrl);
    await expect(page.locator('body[data-ready="true"]')).toBeAttached({ timeout: 15_000 });
    const manager = page.getByTestId('class-manager');
    const id = (await page.locator('[data-image-id]').first().getAttribute('data-image-id'))!;
    await page.locator(`[data-image-id="${id}"]`).click();
    await expect(page.locator(`body[data-image-ready="${id}"]`)).toBeAttached({ timeout: 20_000 });
    await manager.locator('summary').click();
    await expect(manager.locator('.class-row')).toHaveCount(2);

    // Add "unsure": it gets the next key (3), and key 3 labels the scan on screen with it.
    await manager.getByLabel('New class name').fill('unsure');
    await manager.getByRole('button', { name: 'Add class' }).click();
    await expect(manager.locator('.class-row')).toHaveCount(3);
    await expect(manager.getByLabel('Key of unsure')).toHaveValue('3');
    await page.locator('body').press('3');
    await expect(page.getByTestId('current-label-value')).toHaveText('unsure');

    // Rename class "1" (2 scans carry it): confirmed, the scans get the new name as a new version.
    const before = await api<{ id: string; label: string | null }[]>('/datastore');
    const ones = before.filter((i) => i.label === '1').map((i) => i.id);
    expect(ones.length).toBeGreaterThan(0);
    await manager.getByLabel('Name of 1').fill('lesion');
    await manager.getByLabel('Name of 1').press('Enter');
    await expect(page.locator('.class-buttons')).toContainText('lesion');
    const after = await api<{ id: string; label: string | null }[]>('/datastore');
    for (const i of ones) expect(after.find((a) => a.id === i)?.label).toBe('lesion');
    const history = await api<{ label: string; note: string | null }[]>(`/datastore/images/${ones[0]}/label/history`);
    expect(history.at(-1)).toMatchObject({ label: 'lesion', note: 'renamed from 1' });

    // Recolour "lesion".
    await manager.getByLabel('Colour of lesion').fill('#ff8800');
    await expect
      .poll(async () => (await api<{ name: string; colour: string }[]>('/classes')).find((c) => c.name === 'lesion')?.colour)
      .toBe('#ff8800');

    // Refusals: a taken name, a taken key; nothing changes, the reason is shown.
    await manager.getByLabel('Name of unsure').fill('0');
    await manager.getByLabel('Name of unsure').press('Enter');
    await expect(page.getByTestId('class-problem')).toContainText('0');
    await expect(manager.getByLabel('Name of unsure')).toHaveValue('unsure');
    await manager.getByLabel('Key of unsure').selectOption('1');
    await expect(page.getByTestId('class-problem')).toContainText('"0"');
    await expect(manager.getByLabel('Key of unsure')).toHaveValue('3');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'classes-1-managed.png') });
  } finally {
    await context.close();
    served.child.kill('SIGTERM');
    rmSync(root, { recursive: true, force: true });
  }
});
