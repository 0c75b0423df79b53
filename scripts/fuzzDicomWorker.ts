// Worker of `npm run fuzz -- dicom`: runs cases [from, to) and posts each outcome, so the main thread can
// see a case that never ends (a hang inside dcm2niix) and stop this thread.

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { SeededRandom } from '../core/common/random.js';
import { fuzzDicomCase, mutateDicom } from '../core/dicom/fuzzDicom.js';

interface Job {
  readonly files: readonly string[];
  readonly seed: number;
  readonly from: number;
  readonly to: number;
}

const job = workerData as Job;
const seeds = job.files.map((f) => ({ name: basename(f), bytes: new Uint8Array(readFileSync(f)) }));
for (let i = job.from; i < job.to; i++) {
  const rng = new SeededRandom(job.seed * 1_000_003 + i);
  const base = seeds[Math.floor(rng.next() * seeds.length)]!;
  const { kind, bytes } = mutateDicom(base.bytes, rng);
  parentPort!.postMessage({ type: 'start', i });
  const t0 = performance.now();
  const outcome = await fuzzDicomCase([{ name: base.name, bytes }]);
  parentPort!.postMessage({ type: 'done', i, file: base.name, kind, outcome, ms: performance.now() - t0 });
}
