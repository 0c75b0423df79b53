// Issue #13, must-show 2: a blinded reader study on one server. Two annotators sign in with their personal
// tokens in two browser contexts and read the same four scans differently: neither sees the other's answer
// (list and label panel). A reviewer sees both reads side by side, the agreement figures (Cohen's kappa
// checked against the hand computation below) and adjudicates the disagreement: the reference label shows
// the reviewer's name. Failure paths: a wrong token, sign out, an account disabled mid-session goes back to
// the sign-in screen with a message, too many wrong tokens. Own study and server.
//
// The fixed reads (classes 0 and 1; ann1 | ann2):
//   synth_000: 1 | 1    synth_001: 0 | 0    synth_002: 0 | 1    synth_003: 1 | 1
// Contingency table (rows ann1, columns ann2): [[1, 1], [0, 2]], N = 4.
//   observed agreement p_o = (1 + 2) / 4 = 0.75
//   chance agreement  p_e = P(ann1=0)·P(ann2=0) + P(ann1=1)·P(ann2=1) = (2/4)(1/4) + (2/4)(3/4) = 0.5
//   Cohen's kappa = (p_o - p_e) / (1 - p_e) = (0.75 - 0.5) / 0.5 = 0.50; percent agreement 3/4 = 75.0%.

import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { SCREENSHOTS, asReturningReader, expect, test } from './fixtures.js';
import { makeStudy, startServe } from './serveStudy.js';
import { asOperator, signInAs, users } from './teamStudy.js';

const SCANS = ['synth_000', 'synth_001', 'synth_002', 'synth_003'] as const;
const READS: Record<'ann1' | 'ann2', readonly string[]> = { ann1: ['1', '0', '0', '1'], ann2: ['1', '0', '1', '1'] };
const HAND_KAPPA = (0.75 - 0.5) / (1 - 0.5);

let served: Awaited<ReturnType<typeof startServe>>;
let root: string;
let studyDir: string;
const tokens: Record<string, string> = {};
let keyOf: Record<string, number> = {};

test.beforeAll(async () => {
  test.setTimeout(90_000);
  const study = makeStudy(4);
  root = study.root;
  studyDir = study.studyDir;
  for (const [name, role] of [['ann1', 'annotator'], ['ann2', 'annotator'], ['rev1', 'reviewer'], ['ann3', 'annotator']] as const)
    tokens[name] = users(studyDir, 'add', name, role).token!;
  served = await startServe(studyDir);
  await asOperator(served, 'PUT', '/reading', { blinded: true, readsPerScan: 2 });
  const classes = await asOperator<{ name: string; key: number | null }[]>(served, 'GET', '/classes');
  keyOf = Object.fromEntries(classes.filter((c) => c.key !== null).map((c) => [c.name, c.key!]));
  expect(Object.keys(keyOf).sort()).toEqual(['0', '1']);
});

test.afterAll(() => {
  if (served === undefined) return;
  served.child.kill('SIGTERM');
  rmSync(root, { recursive: true, force: true });
});

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `readerStudy-${name}.png`) });
const row = (page: Page, id: string) => page.getByTestId('study-rows').locator(`[data-image-id="${id}"]`);

async function open(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  return { context, page: await context.newPage() };
}

async function openScan(page: Page, id: string): Promise<void> {
  await row(page, id).click();
  await expect(page.locator(`body[data-image-ready="${id}"]`)).toBeAttached({ timeout: 20_000 });
}

/** Reads every scan as `reader` by the class keys; the list and the label panel show the reader's own read. */
async function readAll(page: Page, reader: 'ann1' | 'ann2'): Promise<void> {
  for (const [i, id] of SCANS.entries()) {
    const label = READS[reader][i]!;
    await openScan(page, id);
    await expect(page.getByTestId('current-label')).toContainText('Your read: Unlabeled');
    await page.locator('body').press(String(keyOf[label]));
    await expect(page.getByTestId('current-label-value')).toHaveText(label);
    await expect(page.getByTestId('current-label')).toContainText(`by ${reader}`);
    await expect(row(page, id).getByTestId('row-label')).toHaveText(label);
  }
}

test('a wrong token is refused in words on the sign-in screen', async ({ browser }) => {
  const { context, page } = await open(browser);
  try {
    await page.goto(`${served.url}/`);
    await expect(page.getByRole('heading', { name: 'Sign in to this study' })).toBeVisible({ timeout: 15_000 });
    await page.getByLabel('Paste your personal token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('signin-problem')).toHaveText(/That token was not accepted: it is wrong, or its account was disabled/);
    await expect(page.getByTestId('signed-in')).toHaveCount(0);
    await shot(page, '1-wrong-token');
  } finally {
    await context.close();
  }
});

test('two annotators read blinded, a reviewer sees both, the agreement and adjudicates', async ({ browser }) => {
  test.setTimeout(240_000);
  const a = await open(browser);
  const b = await open(browser);
  const r = await open(browser);
  try {
    await signInAs(a.page, served.url, tokens.ann1!, 'ann1', 'annotator');
    // An annotator gets the label and segment panels only: no Train, Explain, Reading, import or export.
    await expect(a.page.getByRole('tab')).toHaveText(['Label', 'Segment']);
    await expect(a.page.getByRole('button', { name: 'Open DICOM folder…' })).toHaveCount(0);
    await expect(a.page.getByRole('dialog', { name: 'Who is reading?' })).toHaveCount(0);
    await expect(row(a.page, 'synth_002').getByTestId('row-reads')).toHaveText('0/2');
    await readAll(a.page, 'ann1');
    await expect(a.page.getByTestId('blinded-note')).toContainText('other readers');
    await shot(a.page, '2-ann1-read');

    // ann2 sees that each scan has one read, but not what it is: nothing in the list, nothing in the panel.
    await signInAs(b.page, served.url, tokens.ann2!, 'ann2', 'annotator');
    for (const id of SCANS) {
      await expect(row(b.page, id).getByTestId('row-label')).toHaveText('');
      await expect(row(b.page, id).getByTestId('row-reads')).toHaveText('1/2');
    }
    await expect(b.page.getByRole('button', { name: /^Left for me/ })).toContainText('4');
    await openScan(b.page, 'synth_002');
    await expect(b.page.getByTestId('current-label')).toContainText('Your read: Unlabeled');
    await expect(b.page.getByTestId('label-history')).toHaveText('No label yet.');
    await shot(b.page, '3-ann2-before');
    await readAll(b.page, 'ann2');
    await b.page.getByRole('button', { name: /^Left for me/ }).click();
    await expect(b.page.getByTestId('study-rows').locator('[data-image-id]')).toHaveCount(0);
    await b.page.getByRole('button', { name: /^all/ }).click();
    await expect(row(b.page, 'synth_002').getByTestId('row-label')).toHaveText('1');
    await shot(b.page, '4-ann2-read');

    // ann1's page, refreshed by the label events, still shows only ann1's answers; both reads are in.
    await expect(row(a.page, 'synth_002').getByTestId('row-reads')).toHaveText('2/2');
    for (const [i, id] of SCANS.entries()) await expect(row(a.page, id).getByTestId('row-label')).toHaveText(READS.ann1[i]!);
    await openScan(a.page, 'synth_002');
    await expect(a.page.getByTestId('current-label-value')).toHaveText('0');
    await expect(a.page.getByTestId('label-history')).toContainText('ann1');
    await expect(a.page.getByTestId('label-history')).not.toContainText('ann2');
    await shot(a.page, '5-ann1-after-ann2');

    // The reviewer: the agreement figures equal the hand computation, the disagreement side by side.
    await signInAs(r.page, served.url, tokens.rev1!, 'rev1', 'reviewer');
    await expect(r.page.getByRole('tab')).toHaveText(['Label', 'Segment', 'Explain', 'Reading']);
    await r.page.getByRole('tab', { name: 'Reading' }).click();
    const kappa = r.page.getByTestId('kappa');
    await expect(kappa).toContainText(`${HAND_KAPPA.toFixed(2)} (95% CI`);
    expect(Number(await kappa.getAttribute('data-kappa'))).toBeCloseTo(HAND_KAPPA, 12);
    await expect(r.page.getByTestId('percent-agreement')).toContainText('75.0%');
    await expect(r.page.getByTestId('agreement-counts')).toContainText('4 scans, 8 reads by 2 readers (ann1, ann2)');
    const disagreements = r.page.getByTestId('disagreements').locator('button');
    await expect(disagreements).toHaveCount(1);
    await expect(disagreements).toContainText('synth_002');
    await expect(disagreements).toContainText('ann1: 0 · ann2: 1');
    await disagreements.click();
    await expect(r.page.locator('body[data-image-ready="synth_002"]')).toBeAttached({ timeout: 20_000 });
    const reads = r.page.getByTestId('scan-review').getByTestId('read');
    await expect(reads).toHaveCount(2);
    await expect(reads.nth(0)).toHaveAttribute('data-reader', 'ann1');
    await expect(reads.nth(0)).toHaveAttribute('data-label', '0');
    await expect(reads.nth(1)).toHaveAttribute('data-reader', 'ann2');
    await expect(reads.nth(1)).toHaveAttribute('data-label', '1');
    await shot(r.page, '6-reviewer-disagreement');

    await r.page.getByRole('button', { name: 'Reference: 1' }).click();
    await expect(r.page.getByTestId('reference')).toContainText('Reference: 1 by rev1');
    const image = await asOperator<{ label: string | null }>(served, 'GET', '/datastore/images/synth_002');
    expect(image.label).toBe('1');
    const report = await asOperator<{ classLabel: { label: string; author: string } }>(served, 'GET', '/datastore/images/synth_002/report');
    expect(report.classLabel).toMatchObject({ label: '1', author: 'rev1' });
    await shot(r.page, '7-reviewer-adjudicated');

    // The annotators still see their own reads, not the reference.
    await expect(row(a.page, 'synth_002').getByTestId('row-label')).toHaveText('0');
  } finally {
    await Promise.all([a.context.close(), b.context.close(), r.context.close()]);
  }
});

test('sign out and in again; an account disabled mid-session goes back to the sign-in screen, saying why; its token is refused', async ({ browser }) => {
  test.setTimeout(90_000);
  const { context, page } = await open(browser);
  try {
    await signInAs(page, served.url, tokens.ann3!, 'ann3', 'annotator');
    // Sign out and in again (the page reloads for a clean start as the account).
    await page.getByTestId('signed-in').getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByTestId('signin-message')).toHaveText(/^You signed out/);
    await page.getByLabel('Paste your personal token').fill(tokens.ann3!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('signed-in')).toContainText('Signed in as ann3 (annotator)', { timeout: 15_000 });
    await expect(page.locator('body[data-ready="true"]')).toBeAttached({ timeout: 15_000 });

    users(studyDir, 'disable', 'ann3');
    await row(page, 'synth_001').click(); // the next call is refused (the heartbeat would find out within 10 s)
    await expect(page.getByRole('heading', { name: 'Sign in to this study' })).toBeVisible({ timeout: 15_000 });
    await expect(page.getByTestId('signin-message')).toContainText('You were signed out');
    await expect(page.getByTestId('signin-message')).toContainText('disabled');
    await page.getByLabel('Paste your personal token').fill(tokens.ann3!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('signin-problem')).toContainText('That token was not accepted');
    await shot(page, '8-disabled');
  } finally {
    await context.close();
  }
});

test("the operator's link runs as the local admin: no sign-in, the reader name as before, the reading settings", async ({ browser }) => {
  const { context, page } = await open(browser);
  try {
    await asReturningReader(page, 'operator');
    await page.goto(served.openUrl);
    await expect(page.locator('body[data-ready="true"]')).toBeAttached({ timeout: 15_000 });
    await expect(page.getByTestId('reader')).toContainText('Reader: operator');
    await expect(page.getByTestId('signed-in')).toHaveCount(0);
    // The operator is the study's local admin: it also gets the Admin panel (accounts, audit log).
    await expect(page.getByRole('tab')).toHaveText(['Label', 'Segment', 'Explain', 'Train', 'Reading', 'Admin']);
    await page.getByRole('tab', { name: 'Reading' }).click();
    const settings = page.getByTestId('reading-settings');
    await expect(settings.getByLabel('Blinded reading')).toBeChecked();
    await expect(settings.getByLabel('Reads per scan')).toHaveValue('2');
    await expect(page.getByTestId('kappa')).toContainText('0.50');
    await shot(page, '9-operator');
  } finally {
    await context.close();
  }
});

// Last: it leaves this address rate-limited for a minute.
test('after too many wrong tokens the sign-in screen says to wait', async ({ browser }) => {
  const { context, page } = await open(browser);
  try {
    await page.goto(`${served.url}/`);
    await expect(page.getByRole('heading', { name: 'Sign in to this study' })).toBeVisible({ timeout: 15_000 });
    let status = 0;
    for (let i = 0; i < 25 && status !== 429; i++)
      status = (await page.request.post(`${served.url}/auth/signin`, { data: { token: `guess-${i}` } })).status();
    expect(status).toBe(429);
    await page.getByLabel('Paste your personal token').fill('one more guess');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('signin-problem')).toHaveText(/^Too many failed sign-ins from this computer: wait \d+ s and try again\.$/);
    await shot(page, '10-rate-limited');
  } finally {
    await context.close();
  }
});
