// Suite `team` (issue #13): 20 readers with their own accounts label a blinded study through one
// `voxlab serve` (a child process, as deployed) for 60 s (VOXLAB_BENCH_TEAM_S to change), then every
// acknowledged write is checked (teamLoad.ts). Prints requests/s, p50/p99 latency, errors and the lost,
// misattributed and unaudited writes (all three must be 0).

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createClient, httpTransport } from '../../core/api/index.js';
import { addAccount } from '../../core/datastore/accounts.js';
import { createStudy } from '../../core/datastore/index.js';
import { toAffine } from '../../core/common/spaces.js';
import { writeNifti } from '../../core/io/writeNifti.js';
import type { BenchContext } from './context.js';
import { runTeamLoad } from './teamLoad.js';

const READERS = 20;
const IMAGES = 40;
const CLASSES = ['control', 'lesion', 'unsure'];
const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'voxlab.js');

export async function teamSuite(ctx: BenchContext): Promise<Record<string, unknown>> {
  const seconds = Number(process.env.VOXLAB_BENCH_TEAM_S ?? 60);
  const root = mkdtempSync(path.join(tmpdir(), 'voxlab-team-'));
  try {
    const study = createStudy(path.join(root, 'study'), { name: 'team bench' });
    const ids: string[] = [];
    for (let i = 0; i < IMAGES; i++) {
      const file = path.join(root, `scan-${String(i).padStart(3, '0')}.nii`);
      await writeNifti(file, { shape: [8, 8, 8], data: new Float32Array(512).fill(i), affine: toAffine([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]) });
      ids.push((await study.addImage(file, { copy: false })).id);
    }
    const readers = new Map<string, string>();
    for (let r = 0; r < READERS; r++) readers.set(`reader ${r + 1}`, addAccount(study, `reader ${r + 1}`, 'annotator', 'bench').token);
    const reviewer = addAccount(study, 'chief', 'reviewer', 'bench').token;
    const admin = addAccount(study, 'boss', 'admin', 'bench').token;
    study.close();
    const server = spawn(process.execPath, [BIN, 'serve', '--study', path.join(root, 'study'), '--port', '0', '--json'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: server.stdout! }).once('line', resolve);
        server.once('exit', (code) => reject(new Error(`voxlab serve exited (${code})`)));
      });
      const { url } = JSON.parse(line) as { url: string };
      await createClient(httpTransport({ baseUrl: url, token: admin })).reading.set({ blinded: true, readsPerScan: READERS });
      ctx.log(`team: ${READERS} readers, ${IMAGES} scans, ${seconds} s against ${url}`);
      const report = await runTeamLoad({ baseUrl: url, readers, reviewer, admin, imageIds: ids, classes: CLASSES, seconds });
      ctx.log(`team: ${report.requests} requests, ${report.acknowledged_writes} writes, p99 ${report.p99_ms} ms`);
      return { ...report, peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) };
    } finally {
      server.kill('SIGTERM');
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
