// `npm run fuzz -- dicom [--cases N] [--seed S] [--timeout-s T]`: damages real DICOM files of ../shared/data
// N ways (default 10,000) and converts each in a worker thread; prints a JSON summary. A case fails when it
// ends with anything but a conversion or a VoxlabError, or runs over T seconds (the worker is then stopped
// and a new one goes on with the next case). Exits 1 on any failure.

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { isDicomFile } from '../core/dicom/findDicomFiles.js';

interface Done {
  readonly type: 'done';
  readonly i: number;
  readonly file: string;
  readonly kind: string;
  readonly outcome: string;
  readonly ms: number;
}

/** Small DICOM files of the corpus (at most 2 per folder, under 2 MB): varied, and each case quick. */
async function seedFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    const entries = readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    let taken = 0;
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (taken < 2 && statSync(p).size < 2 * 2 ** 20 && (await isDicomFile(p))) {
        out.push(p);
        taken++;
      }
    }
  };
  await walk(dir);
  return out;
}

export async function fuzzDicom(options: { cases: number; seed: number; timeoutS: number; dataDir: string }): Promise<number> {
  const files = [...(await seedFiles(join(options.dataDir, 'dicom'))), ...(await seedFiles(join(options.dataDir, 'dicom_qa')))];
  const outcomes: Record<string, number> = {};
  const failures: { i: number; file?: string; kind?: string; outcome: string }[] = [];
  let slowest = 0;
  const t0 = Date.now();
  let next = 0;
  while (next < options.cases) {
    next = await new Promise<number>((resolveRun) => {
      const worker = new Worker(new URL('./fuzzDicomWorker.js', import.meta.url), {
        workerData: { files, seed: options.seed, from: next, to: options.cases },
      });
      let current = next;
      let timer: NodeJS.Timeout | undefined;
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          failures.push({ i: current, outcome: `HANG: over ${options.timeoutS} s` });
          outcomes.HANG = (outcomes.HANG ?? 0) + 1;
          void worker.terminate().then(() => resolveRun(current + 1));
        }, options.timeoutS * 1000);
      };
      arm();
      worker.on('message', (m: { type: 'start'; i: number } | Done) => {
        current = m.i;
        arm();
        if (m.type !== 'done') return;
        const key = m.outcome.startsWith('FAILED') ? 'FAILED' : m.outcome;
        outcomes[key] = (outcomes[key] ?? 0) + 1;
        slowest = Math.max(slowest, m.ms);
        if (key === 'FAILED') failures.push({ i: m.i, file: m.file, kind: m.kind, outcome: m.outcome });
        if ((m.i + 1) % 500 === 0) process.stderr.write(`fuzz dicom: ${m.i + 1}/${options.cases}\n`);
      });
      worker.on('error', (e) => {
        failures.push({ i: current, outcome: `FAILED: worker died: ${e.message}` });
        clearTimeout(timer);
        resolveRun(current + 1);
      });
      worker.on('exit', () => {
        clearTimeout(timer);
        resolveRun(Math.max(current + 1, next));
      });
    });
  }
  const summary = { cases: options.cases, seed: options.seed, seedFiles: files.length, outcomes, failures: failures.slice(0, 20), slowestMs: Math.round(slowest), seconds: (Date.now() - t0) / 1000 };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  return failures.length === 0 ? 0 : 1;
}
