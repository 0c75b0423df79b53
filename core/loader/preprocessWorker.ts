// The job of PreprocessPool — read a NIfTI file and run seedPreprocess — and, when this module is loaded
// as one of the pool's worker threads, the loop that serves those jobs. Imported by the pool too (for
// the in-process path), so it only serves when its workerData says it is a preprocess worker.

import { parentPort, workerData } from 'node:worker_threads';
import { readNifti } from '../io/readNifti.js';
import { seedPreprocess } from '../transforms/seedPreprocess.js';
import type { Tensor } from '../transforms/tensor.js';
import { serveJobs } from './serveJobs.js';

/** Marks the workerData of preprocess workers. */
export const PREPROCESS_WORKER_KIND = 'voxlab.preprocessWorker';

/** What each worker gets as workerData. */
export interface PreprocessWorkerData {
  readonly kind: typeof PREPROCESS_WORKER_KIND;
  /** Edge of the cubic output, as for seedPreprocess. */
  readonly size: number;
}

/** One job: a NIfTI path and which 3D volume of a 4D file (default 0). */
export interface PreprocessJob {
  readonly file: string;
  readonly frame?: number;
}

/**
 * readNifti(job.file, { frame }) then seedPreprocess(volume, size): a tensor [1, size, size, size] in
 * C order (see seedPreprocess). Throws readNifti's and seedPreprocess's VoxlabErrors (NOT_FOUND,
 * NOT_NIFTI, NIFTI_TRUNCATED, BAD_ARGUMENT for a missing frame, BAD_VALUES, ...).
 */
export async function preprocessFile(job: PreprocessJob, size: number): Promise<Tensor> {
  const volume = await readNifti(job.file, job.frame === undefined ? {} : { frame: job.frame });
  return seedPreprocess(volume, size);
}

/**
 * `t` with data that owns its whole ArrayBuffer, so that the buffer can be transferred: seedPreprocess
 * returns a fresh array per call (preprocessPool.test.ts checks it); a view into a larger or shared
 * buffer is copied instead, since transferring it would detach memory that is not the result's alone.
 */
export function transferable(t: Tensor): { tensor: Tensor; buffer: ArrayBuffer } {
  const { data } = t;
  if (data.buffer instanceof ArrayBuffer && data.byteOffset === 0 && data.byteLength === data.buffer.byteLength) {
    return { tensor: t, buffer: data.buffer };
  }
  const copy = data.slice();
  return { tensor: { shape: t.shape, data: copy }, buffer: copy.buffer };
}

function isPreprocessWorkerData(value: unknown): value is PreprocessWorkerData {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === PREPROCESS_WORKER_KIND;
}

if (parentPort !== null && isPreprocessWorkerData(workerData)) {
  const { size } = workerData;
  serveJobs<PreprocessJob, Tensor>(parentPort, async (job) => {
    const { tensor, buffer } = transferable(await preprocessFile(job, size));
    return { result: tensor, transfer: [buffer] };
  });
}
