// `npm run smoke:electron`: the desktop app started for real on the demo study (a fresh profile and voxlab
// home, so no recent study is reopened), driven by Playwright's Electron support: it waits for the study
// list, opens the first scan, waits until the axial view shows it, saves a screenshot to
// e2e-output/screenshots/smoke-electron.png and exits 0. Any page error, console error, core start failure
// or timeout exits 1. Without a display it runs itself under xvfb-run. Where the Electron binary is absent
// (it cannot be downloaded on our machines) it says so and exits 0: the packaged core is checked without
// it by electron/builder.test.ts.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SCREENSHOT = path.join(root, 'e2e-output', 'screenshots', 'smoke-electron.png');
// A fresh home builds the demo study first (120 scans: 1 to 3 minutes on 2 cores).
const TIMEOUT_MS = 300_000;

/** The downloaded Electron binary, or null (as e2e/serveStudy.ts and electron/start.mjs find it). */
function electronBinary() {
  const pathFile = path.join(root, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = path.join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

function say(line) {
  process.stdout.write(`smoke:electron: ${line}\n`);
}

const bin = electronBinary();
if (bin === null) {
  say('skipped: no Electron binary (node_modules/electron/dist is missing; it cannot be downloaded here)');
  process.exit(0);
}
if (!existsSync(path.join(root, 'dist', 'electron', 'main', 'main.js'))) {
  say('the app is not built: run npm run build first');
  process.exit(1);
}
if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  if (process.env.VOXLAB_SMOKE_XVFB === '1') {
    say('xvfb-run started no display');
    process.exit(1);
  }
  const xvfb = spawnSync('sh', ['-c', 'command -v xvfb-run'], { encoding: 'utf8' }).stdout.trim();
  if (xvfb === '') {
    say('no display and no xvfb-run: install xvfb (apt-get install xvfb) or run it in a desktop session');
    process.exit(1);
  }
  const again = spawnSync(
    xvfb,
    ['-a', '-s', '-screen 0 1440x900x24', process.execPath, fileURLToPath(import.meta.url)],
    {
      stdio: 'inherit',
      env: { ...process.env, VOXLAB_SMOKE_XVFB: '1' },
    },
  );
  process.exit(again.status ?? 1);
}

const { _electron } = await import('@playwright/test');
const profile = mkdtempSync(path.join(os.tmpdir(), 'voxlab-smoke-'));
const errors = [];
let app;
try {
  say(`launching ${bin}`);
  app = await _electron.launch({
    executablePath: bin,
    // Root (CI) cannot use Chromium's sandbox.
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), root],
    env: {
      ...process.env,
      // A fresh profile (no recent study: the demo opens) and a fresh voxlab home (the demo is made anew).
      XDG_CONFIG_HOME: path.join(profile, 'config'),
      VOXLAB_HOME: path.join(profile, 'voxlab'),
    },
    timeout: TIMEOUT_MS,
  });
  app.process().stderr?.on('data', (chunk) => process.stderr.write(chunk));
  const window = await app.firstWindow({ timeout: TIMEOUT_MS });
  window.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  window.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console error: ${m.text()}`);
  });
  // The reader's name, as a returning reader has it (else the app asks for it first).
  await window.evaluate(() => globalThis.localStorage.setItem('voxlab.reader', 'smoke'));
  await window.reload();
  await window.locator('body[data-ready="true"]').waitFor({ state: 'attached', timeout: TIMEOUT_MS });
  const first = window.locator('[data-image-id]').first();
  const imageId = await first.getAttribute('data-image-id', { timeout: TIMEOUT_MS });
  say(`demo study open; opening ${imageId}`);
  await first.click();
  await window
    .locator(`body[data-image-ready="${imageId}"]`)
    .waitFor({ state: 'attached', timeout: TIMEOUT_MS });
  // Drawn: the axial view's canvas holds a scan, not a blank or uniform frame (software GL may need frames).
  const deadline = Date.now() + 15_000;
  let std = 0;
  while (Date.now() < deadline && std <= 5) {
    std = await window.evaluate(() => {
      const canvas = globalThis.document.querySelector('section[data-view="axial"] canvas');
      const ctx = canvas?.getContext('2d');
      if (!canvas || !ctx) return 0;
      const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let sum = 0;
      let sum2 = 0;
      for (let i = 0; i < px.length; i += 4) {
        const grey = (px[i] + px[i + 1] + px[i + 2]) / 3;
        sum += grey;
        sum2 += grey * grey;
      }
      const n = px.length / 4;
      return Math.sqrt(Math.max(0, sum2 / n - (sum / n) ** 2));
    });
    if (std <= 5) await sleep(250);
  }
  mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
  await window.screenshot({ path: SCREENSHOT });
  say(`screenshot: ${path.relative(root, SCREENSHOT)}`);
  if (std <= 5) errors.push(`the axial view stayed blank (grey-level std ${std.toFixed(1)})`);
} catch (e) {
  errors.push(e instanceof Error ? e.message : String(e));
} finally {
  await app?.close().catch((e) => errors.push(`closing the app: ${e.message}`));
  rmSync(profile, { recursive: true, force: true });
}
if (errors.length > 0) {
  for (const e of errors) say(`error: ${e}`);
  process.exit(1);
}
say('ok: the first image of the demo study is on screen');
