// e2e: the UI in Debian's Chromium (no browser download) against a real `voxlab serve` started by the global
// setup, and the same specs in the desktop app (skipped where no Electron binary exists). Flags from
// ../shared/notes/ENVIRONMENT.md give WebGL2 through SwiftShader headless. One worker: 2 cores.

import { defineConfig } from '@playwright/test';

const CHROMIUM = process.env.VOXLAB_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = [
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export default defineConfig({
  testDir: 'e2e',
  // `npm run bench:ui` (VOXLAB_BENCH=1) runs the viewer bench instead of the specs.
  testMatch: process.env.VOXLAB_BENCH === '1' ? '**/*.bench.ts' : '**/*.spec.ts',
  outputDir: 'e2e-output/results',
  globalSetup: './e2e/globalSetup.ts',
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  reporter: [['list'], ['html', { outputFolder: 'e2e-output/report', open: 'never' }]],
  // Both projects get Debian's Chromium: the electron project's specs skip before using it, but Playwright
  // may still start its default browser fixtures, which must not try a download.
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    browserName: 'chromium',
    headless: true,
    launchOptions: { executablePath: CHROMIUM, args: FLAGS },
  },
  // server.spec.ts checks the HTTP transport, which the desktop app does not use; classes, dicom, pacs and
  // safety specs start their own `voxlab serve` (pacs also its own Orthanc) or browser contexts (server
  // restarts, a first visit) or use the IXI study, which the desktop app does not open.
  projects: [
    { name: 'chromium' },
    // readerStudy, admin and oidc start their own `voxlab serve` with accounts and sign in over HTTP (the
    // desktop app runs as its local user over IPC); explainTruth serves the demo study from a temp home (the
    // desktop app opens its own).
    { name: 'electron', testIgnore: ['**/server.spec.ts', '**/classes.spec.ts', '**/safety.spec.ts', '**/dicom.spec.ts', '**/dicomApp.spec.ts', '**/pacs.spec.ts', '**/readerStudy.spec.ts', '**/admin.spec.ts', '**/oidc.spec.ts', '**/explainTruth.spec.ts'] },
  ],
});
