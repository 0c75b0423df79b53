// Issue #13, the admin view: an admin signs in, adds an account (its token shown once, with Copy, and gone
// once the box is closed), the new account signs in with that token in a second browser context, the admin
// disables it and that context's next action lands on the sign-in screen. The audit tab lists users.add and
// users.disable by the admin and says the log checks out; edited behind voxlab's back, it warns. An
// annotator sees no Admin tab. Own study and server.

import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { SCREENSHOTS, expect, test } from './fixtures.js';
import { makeStudy, startServe } from './serveStudy.js';
import { signInAs, users } from './teamStudy.js';

let served: Awaited<ReturnType<typeof startServe>>;
let root: string;
let studyDir: string;
const tokens: Record<string, string> = {};

test.beforeAll(async () => {
  test.setTimeout(90_000);
  const study = makeStudy(2);
  root = study.root;
  studyDir = study.studyDir;
  for (const [name, role] of [['boss', 'admin'], ['ann0', 'annotator']] as const) tokens[name] = users(studyDir, 'add', name, role).token!;
  served = await startServe(studyDir);
});

test.afterAll(() => {
  if (served === undefined) return;
  served.child.kill('SIGTERM');
  rmSync(root, { recursive: true, force: true });
});

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `admin-${name}.png`) });
const accountRow = (page: Page, name: string) => page.getByTestId('account-list').locator(`[data-name="${name}"]`);

async function open(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  return { context, page: await context.newPage() };
}

test('an annotator sees no Admin tab', async ({ browser }) => {
  const { context, page } = await open(browser);
  try {
    await signInAs(page, served.url, tokens.ann0!, 'ann0', 'annotator');
    await expect(page.getByRole('tab')).toHaveText(['Label', 'Segment']);
    await expect(page.getByRole('tab', { name: 'Admin' })).toHaveCount(0);
    await shot(page, '1-annotator-no-admin');
  } finally {
    await context.close();
  }
});

test('an admin adds an account (token shown once), it signs in, is disabled and signed out; the audit log shows both', async ({ browser }) => {
  test.setTimeout(180_000);
  const a = await open(browser);
  const b = await open(browser);
  try {
    await a.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: served.url });
    await signInAs(a.page, served.url, tokens.boss!, 'boss', 'admin');
    await expect(a.page.getByRole('tab')).toHaveText(['Label', 'Segment', 'Explain', 'Train', 'Reading', 'Admin']);
    await a.page.getByRole('tab', { name: 'Admin' }).click();
    await expect(accountRow(a.page, 'boss')).toContainText('(you)');
    await expect(accountRow(a.page, 'ann0')).toHaveAttribute('data-state', 'active');
    await expect(accountRow(a.page, 'boss').getByRole('button', { name: 'Disable' })).toBeDisabled();

    // Refusals in words: a name the study cannot use, a name taken.
    const form = a.page.getByTestId('add-account');
    await form.getByLabel('Name').fill('-bad name');
    await form.getByRole('button', { name: 'Add account' }).click();
    await expect(a.page.getByTestId('accounts-problem')).toHaveText(/^Not added: "-bad name" cannot be an account name\. Use 1 to 64 letters/);
    await form.getByLabel('Name').fill('ann0');
    await form.getByRole('button', { name: 'Add account' }).click();
    await expect(a.page.getByTestId('accounts-problem')).toHaveText(/^Not added: there is already an account "ann0"/);
    await expect(a.page.getByTestId('token-once')).toHaveCount(0);

    // Add Dr Grey, a reviewer: the token is shown once, with Copy.
    await form.getByLabel('Name').fill('Dr Grey');
    await form.getByLabel('Role').selectOption('reviewer');
    await form.getByRole('button', { name: 'Add account' }).click();
    const box = a.page.getByTestId('token-once');
    await expect(box).toBeVisible();
    await expect(a.page.getByTestId('accounts-problem')).toHaveCount(0);
    await expect(box.getByTestId('token-notice')).toContainText('shown this once; give it to Dr Grey privately');
    const token = (await box.getByTestId('token-value').textContent())!.trim();
    expect(token).toMatch(/^vxl_\d+_\S{20,}$/);
    await box.getByRole('button', { name: 'Copy' }).click();
    await expect(box.getByTestId('token-copied')).toHaveText('Copied.');
    expect(await a.page.evaluate<string>('navigator.clipboard.readText()')).toBe(token);
    await expect(accountRow(a.page, 'Dr Grey')).toContainText('reviewer');
    await expect(accountRow(a.page, 'Dr Grey')).toContainText('created by boss on');
    await shot(a.page, '2-token-once');
    await box.getByRole('button', { name: 'Close' }).click();
    await expect(a.page.getByTestId('token-once')).toHaveCount(0);
    expect(await a.page.content()).not.toContain(token);
    await a.page.getByRole('tab', { name: 'Label' }).click();
    await a.page.getByRole('tab', { name: 'Admin' }).click();
    await expect(accountRow(a.page, 'Dr Grey')).toHaveAttribute('data-state', 'active');
    expect(await a.page.content()).not.toContain(token);

    // Dr Grey signs in with that token in a second browser: a reviewer, no Admin tab.
    await signInAs(b.page, served.url, token, 'Dr Grey', 'reviewer');
    await expect(b.page.getByRole('tab')).toHaveText(['Label', 'Segment', 'Explain', 'Reading']);

    // The admin disables Dr Grey, after a confirm step.
    await accountRow(a.page, 'Dr Grey').getByRole('button', { name: 'Disable' }).click();
    const confirm = a.page.getByTestId('confirm');
    await expect(confirm).toContainText('Disable Dr Grey? Their token and sessions stop working at once');
    await shot(a.page, '3-confirm-disable');
    await confirm.getByRole('button', { name: 'Disable Dr Grey' }).click();
    await expect(accountRow(a.page, 'Dr Grey')).toHaveAttribute('data-state', 'disabled');
    await expect(accountRow(a.page, 'Dr Grey').getByTestId('account-state')).toHaveText('disabled');
    await shot(a.page, '4-disabled');

    // Dr Grey's next action goes to the sign-in screen, saying why.
    await b.page.getByTestId('study-rows').locator('[data-image-id]').first().click();
    await expect(b.page.getByRole('heading', { name: 'Sign in to this study' })).toBeVisible({ timeout: 15_000 });
    await expect(b.page.getByTestId('signin-message')).toContainText('disabled');
    await shot(b.page, '5-signed-out');

    // The audit log: users.add and users.disable by boss (admin), newest first; the chain checks out.
    await a.page.getByRole('button', { name: 'Audit log' }).click();
    await expect(a.page.getByTestId('chain-status')).toHaveText(/^The log checks out/);
    const rows = a.page.getByTestId('audit-row');
    await expect(rows.first()).toHaveAttribute('data-method', 'users.disable');
    // (boss and ann0 were added by the CLI: their users.add rows are not the admin's.)
    const add = a.page.locator('[data-testid="audit-row"][data-method="users.add"][data-account="boss"]');
    await expect(add).toHaveCount(1);
    await expect(add).toContainText('boss (admin)');
    await expect(add).toContainText('Dr Grey');
    await expect(rows.first()).toContainText('boss (admin)');
    await expect(rows.first()).toContainText('Dr Grey');
    await shot(a.page, '6-audit');
    await a.page.getByTestId('audit-filter').getByLabel('Method').selectOption('users.disable');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toHaveAttribute('data-account', 'boss');
    await a.page.getByTestId('audit-filter').getByLabel('Method').selectOption('');
    await expect(a.page.getByTestId('audit-filter').getByLabel('Account')).toBeVisible();

    // Edited behind voxlab's back (a row's target changed in the file), the log warns.
    const require = createRequire(import.meta.url);
    const Database = require('better-sqlite3') as new (file: string) => { exec(sql: string): void; close(): void };
    const db = new Database(path.join(studyDir, 'voxlab.sqlite'));
    try {
      db.exec("DROP TRIGGER audit_no_update; UPDATE audit SET target = 'someone else' WHERE method = 'users.add';");
    } finally {
      db.close();
    }
    await a.page.getByRole('button', { name: 'Refresh' }).click();
    await expect(a.page.getByTestId('chain-status')).toHaveText(/^The audit log was edited outside voxlab/);
    await expect(add).toContainText('someone else');
    await shot(a.page, '7-tampered');
  } finally {
    await Promise.all([a.context.close(), b.context.close()]);
  }
});
