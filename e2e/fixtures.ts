// The fixture the specs share: `app` opens the UI with access to the core, in Chromium against the real
// `voxlab serve` (project chromium) or in the desktop app (project electron, skipped without its binary).

import { _electron, test as base, type Page } from '@playwright/test';
import path from 'node:path';
import { REPO_ROOT, electronBinary, type E2eServer } from './serveStudy.js';

export function server(): E2eServer {
  const raw = process.env.VOXLAB_E2E;
  if (raw === undefined) throw new Error('e2e: the global setup did not run');
  return JSON.parse(raw) as E2eServer;
}

/** The study of real IXI scans (with a tiny trained model) and its server. */
export function ixiServer(): E2eServer {
  const raw = process.env.VOXLAB_E2E_IXI;
  if (raw === undefined) throw new Error('e2e: the global setup did not run');
  return JSON.parse(raw) as E2eServer;
}

/** The reader name the specs' pages start with (the app asks for one once and refuses writes without it). */
export const E2E_READER = 'e2e-reader';

/** Makes `page` start as a returning reader (the name remembered from an earlier visit). */
export async function asReturningReader(page: Page, name = E2E_READER): Promise<void> {
  await page.addInitScript((n) => {
    const storage = (globalThis as unknown as { localStorage: { getItem(k: string): string | null; setItem(k: string, v: string): void } }).localStorage;
    if (storage.getItem('voxlab.reader') === null) storage.setItem('voxlab.reader', n);
  }, name);
}

export const test = base.extend<{ app: Page; ixi: Page }>({
  // The IXI study in Chromium (the desktop app opens one study, the synthetic one: these specs skip there).
  ixi: async ({ page }, use, info) => {
    test.skip(info.project.name === 'electron', 'the desktop app opens the synthetic study only');
    await asReturningReader(page);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(ixiServer().openUrl);
    await use(page);
  },
  app: async ({ page }, use, info) => {
    if (info.project.name !== 'electron') {
      await asReturningReader(page);
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.goto(server().openUrl);
      await use(page);
      return;
    }
    const bin = electronBinary();
    test.skip(bin === null, 'no Electron binary on this machine (it cannot be downloaded here)');
    const app = await _electron.launch({
      executablePath: bin!,
      args: [REPO_ROOT, '--study', server().studyDir],
    });
    try {
      const window = await app.firstWindow();
      await window.evaluate((n) => {
        const storage = (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage;
        storage.setItem('voxlab.reader', n);
      }, E2E_READER);
      await window.reload();
      await use(window);
    } finally {
      await app.close();
    }
  },
});

export { expect } from '@playwright/test';
export const SCREENSHOTS = path.join(REPO_ROOT, 'e2e-output', 'screenshots');
