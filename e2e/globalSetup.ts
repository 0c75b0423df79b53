// Playwright global setup: two studies served by real `voxlab serve` processes: a small synthetic one (the
// study list spec and training) and one of real IXI scans with a tiny trained model (viewer, labeling,
// occlusion); with VOXLAB_BENCH=1 also a 256³ phantom for the viewer bench (npm run bench:ui). Their URLs and tokens reach the specs through the environment. The returned function stops
// both servers and removes the temp folder.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeIxiStudy } from './ixiStudy.js';
import { makeStudy, startServe } from './serveStudy.js';

export const IMAGES = 8;

export default async function globalSetup(): Promise<() => Promise<void>> {
  const { root, studyDir } = makeStudy(IMAGES);
  const ixiRoot = mkdtempSync(path.join(os.tmpdir(), 'voxlab-e2e-ixi-'));
  const ixiDir = makeIxiStudy(ixiRoot);
  const served = await startServe(studyDir);
  const ixi = await startServe(ixiDir);
  const benchStudy = process.env.VOXLAB_BENCH === '1' ? makeStudy(1, '256,256,256') : null;
  const bench = benchStudy !== null ? await startServe(benchStudy.studyDir) : null;
  if (bench !== null) process.env.VOXLAB_E2E_BENCH = JSON.stringify({ url: bench.url, openUrl: bench.openUrl, token: bench.token, studyDir: '', images: 1 });
  process.env.VOXLAB_E2E = JSON.stringify({
    url: served.url,
    openUrl: served.openUrl,
    token: served.token,
    studyDir,
    images: IMAGES,
  });
  process.env.VOXLAB_E2E_IXI = JSON.stringify({
    url: ixi.url,
    openUrl: ixi.openUrl,
    token: ixi.token,
    studyDir: ixiDir,
    images: 11,
  });
  return async () => {
    for (const s of bench === null ? [served, ixi] : [served, ixi, bench]) {
      const exited = new Promise((r) => s.child.once('exit', r));
      s.child.kill('SIGTERM');
      await exited;
    }
    rmSync(root, { recursive: true, force: true });
    rmSync(ixiRoot, { recursive: true, force: true });
    if (benchStudy !== null) rmSync(benchStudy.root, { recursive: true, force: true });
  };
}
