// e2e helpers for a team study (issue #13): accounts made with the built CLI (`voxlab users add NAME --role R
// --json` prints the personal token once), calls as the server's operator (its own token: the local admin),
// and signing a browser page in through the app's sign-in screen.

import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { REPO_ROOT } from './serveStudy.js';

const CLI = path.join(REPO_ROOT, 'bin', 'voxlab.js');

/** Runs `voxlab users ACTION NAME ... --study DIR --json` and answers its JSON (with `token` for add and rotate). */
export function users(studyDir: string, action: 'add' | 'disable' | 'rotate', name: string, role?: string): { name: string; role: string; token?: string } {
  const args = [CLI, 'users', action, name, ...(role !== undefined ? ['--role', role] : []), '--study', studyDir, '--json'];
  return JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8' })) as { name: string; role: string; token?: string };
}

/** A JSON call to the API as the server's operator (the `voxlab serve` token: the local admin). */
export async function asOperator<T>(server: { url: string; token: string }, method: string, route: string, body?: unknown): Promise<T> {
  const res = await fetch(`${server.url}/api${route}`, {
    method,
    headers: { 'x-voxlab-token': server.token, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`e2e: ${method} ${route}: HTTP ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** Opens the study at its plain address (no operator link), signs in on the sign-in screen, waits for the app. */
export async function signInAs(page: Page, url: string, token: string, name: string, role: string): Promise<void> {
  await page.goto(`${url}/`);
  await expect(page.getByRole('heading', { name: 'Sign in to this study' })).toBeVisible({ timeout: 15_000 });
  await page.getByLabel('Paste your personal token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('signed-in')).toHaveText(`Signed in as ${name} (${role}) Sign out`, { timeout: 15_000 });
  await expect(page.locator('body[data-ready="true"]')).toBeAttached({ timeout: 15_000 });
}
