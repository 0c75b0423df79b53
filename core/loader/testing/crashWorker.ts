// A worker for workerPool.test.ts that fails on request: it echoes numbers, throws coded and uncoded
// errors, exits, or throws outside any job, so the pool's failure handling can be checked.

import { parentPort, threadId, workerData } from 'node:worker_threads';
import { VoxlabError } from '../../common/errors.js';
import { serveJobs } from '../serveJobs.js';

/** What the test asks a job to do. */
export type CrashJob =
  | { readonly action: 'echo'; readonly value: number; readonly delayMs?: number }
  | { readonly action: 'coded' | 'uncoded' | 'exit' | 'uncaught' };

/** An echo's result: the value doubled, in a transferred buffer, and the thread that did it. */
export interface CrashResult {
  readonly data: Float64Array;
  readonly threadId: number;
}

if ((workerData as { failAtStart?: boolean }).failAtStart === true) {
  throw new Error('crashWorker: failing at start on purpose');
}

const port = parentPort;
if (port === null) throw new Error('crashWorker: must run as a worker thread');

serveJobs<CrashJob, CrashResult>(port, async (job) => {
  switch (job.action) {
    case 'echo': {
      await new Promise((resolve) => setTimeout(resolve, job.delayMs ?? 0));
      const data = new Float64Array([job.value * 2]);
      return { result: { data, threadId }, transfer: [data.buffer] };
    }
    case 'coded':
      throw new VoxlabError('NOT_NIFTI', 'crashWorker: coded failure', { file: 'x.nii' });
    case 'uncoded':
      throw new RangeError('crashWorker: uncoded failure');
    case 'exit':
      return process.exit(3);
    case 'uncaught':
      setTimeout(() => {
        throw new Error('crashWorker: uncaught failure');
      });
      return new Promise(() => {}); // never answers: the uncaught error ends the worker first
  }
});
