// Single sign-on in the browser (issue #13): `voxlab serve` configured with a real OpenID Connect provider
// (oidc-provider on a loopback port, started here) sends Chromium to the provider's login and consent
// pages and back; the app then runs as the person the ID token names, with the role their groups map to.
// A person whose groups map to no role gets a page that says so. Own study, server and provider.

import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { openTestProvider, TEST_CLIENT, type TestProvider } from '../core/server/oidc/testing/testProvider.js';
import { SCREENSHOTS, expect, test } from './fixtures.js';
import { REPO_ROOT, makeStudy } from './serveStudy.js';

let provider: TestProvider;
let child: ChildProcess;
let url: string;
let root: string;

test.beforeAll(async () => {
  test.setTimeout(60_000);
  provider = await openTestProvider({ dana: ['radiology'], omar: ['radiology-chiefs'], eve: ['catering'] });
  const study = makeStudy(2);
  root = study.root;
  child = spawn(
    process.execPath,
    [
      path.join(REPO_ROOT, 'bin', 'voxlab.js'),
      'serve',
      '--study',
      study.studyDir,
      '--port',
      '0',
      '--json',
      '--oidc-issuer',
      provider.issuer,
      '--oidc-client-id',
      TEST_CLIENT.clientId,
      '--oidc-roles',
      'radiology=annotator,radiology-chiefs=reviewer',
      '--oidc-label',
      'Sign in with Test Hospital',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, VOXLAB_OIDC_CLIENT_SECRET: TEST_CLIENT.clientSecret } },
  );
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`voxlab serve exited with ${code}: ${out}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line !== undefined) resolve((JSON.parse(line) as { url: string }).url);
    });
  });
  provider.start(`${url}/auth/oidc/callback`);
});

test.afterAll(async () => {
  child?.kill('SIGTERM');
  await provider?.close();
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
});

/** The provider's development login and consent pages, as a person fills them in. */
async function signInAtProvider(page: Page, login: string): Promise<void> {
  await page.goto(`${url}/auth/oidc/start`);
  await expect(page).toHaveURL(new RegExp(`^${provider.issuer.replace(/[.:/]/g, '\\$&')}/interaction/`));
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.screenshot({ path: path.join(SCREENSHOTS, `oidc-1-provider-login-${login}.png`) });
  await page.getByRole('button', { name: 'Sign-in' }).click();
  // Consent (first sign-in of this person to voxlab).
  const consent = page.getByRole('button', { name: 'Continue' });
  if (await consent.isVisible().catch(() => false)) await consent.click();
}

test('a person signs in at the hospital provider and the app runs as them, with the role of their group', async ({ page }) => {
  const config = await (await page.request.get(`${url}/auth/config`)).json();
  expect(config).toEqual({ oidc: { label: 'Sign in with Test Hospital', start: '/auth/oidc/start' } });
  await signInAtProvider(page, 'omar');
  await expect(page).toHaveURL(`${url}/`);
  await expect(page.locator('body[data-ready="true"]')).toBeAttached({ timeout: 20_000 });
  await page.screenshot({ path: path.join(SCREENSHOTS, 'oidc-2-app-signed-in.png') });
  const who = await (await page.request.get(`${url}/api/auth/whoami`)).json();
  expect(who).toEqual({ name: 'omar', role: 'reviewer', kind: 'account', accounts: true });
  // The session cookie is HttpOnly: scripts in the page cannot read it.
  expect(await page.evaluate(() => (globalThis as unknown as { document: { cookie: string } }).document.cookie)).not.toContain('voxlab_session');
});

test('a person whose groups map to no voxlab role is told so, and gets no session', async ({ page }) => {
  await signInAtProvider(page, 'eve');
  await expect(page.getByRole('heading')).toHaveText('Your account may not do this');
  await expect(page.locator('body')).toContainText('grants no voxlab role');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'oidc-3-no-role.png') });
  const who = await page.request.get(`${url}/api/auth/whoami`);
  expect(who.status()).toBe(401);
});
