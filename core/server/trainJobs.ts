// How the service runs a training job: in a worker thread when the compiled worker exists (dist/, i.e.
// `voxlab serve` and the desktop app), otherwise in this thread (tests run the .ts sources). Both report the
// same progress, epoch records and summary, and stop on the job's AbortSignal.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Json, TrainEngine, TrainProgress, TrainResultSummary } from '../api/index.js';
import { VoxlabError, type VoxlabErrorJson } from '../common/errors.js';
import type { TrainResult } from '../train/index.js';

/** What a training job asks for. engine 'monai' (start only) runs the study's MONAI bundle, never in the worker. */
export type TrainRequest =
  | { readonly mode: 'start'; readonly config: Json; readonly runId: string; readonly engine?: TrainEngine }
  | { readonly mode: 'resume'; readonly runId: string };

export type TrainWorkerData = TrainRequest & { readonly kind: 'voxlab-train'; readonly studyDir: string };

export type TrainWorkerMessage =
  | { readonly type: 'progress'; readonly progress: TrainProgress }
  | { readonly type: 'epoch'; readonly epoch: number; readonly record: Json }
  | { readonly type: 'done'; readonly result: TrainResultSummary }
  | { readonly type: 'failed'; readonly error: VoxlabErrorJson };

export interface TrainHooks {
  readonly signal: AbortSignal;
  onProgress(p: TrainProgress): void;
  onEpoch(epoch: number, record: Json): void;
}

/** Runs one training request; resolves with its summary or rejects with a VoxlabError (CANCELLED when stopped). */
export type TrainRunner = (request: TrainRequest, hooks: TrainHooks) => Promise<TrainResultSummary>;

/** The summary a finished run reports (worker and in-process alike). */
export function trainSummary(r: TrainResult): TrainResultSummary {
  return {
    modelId: r.modelId,
    classes: r.classes,
    epochs: r.history.length,
    bestEpoch: r.best?.epoch ?? null,
    backend: r.backend,
    seconds: r.seconds,
  };
}

/** The compiled worker beside this module (exists under dist/ only). */
export const TRAIN_WORKER_URL = new URL('./trainWorker.js', import.meta.url);

/** True when the worker can be started from here. */
export function workerAvailable(url: URL = TRAIN_WORKER_URL): boolean {
  return url.protocol === 'file:' && existsSync(fileURLToPath(url));
}

/** A runner that trains in a new worker thread per job, on the study at `studyDir`. */
export function workerTrainRunner(studyDir: string, url: URL = TRAIN_WORKER_URL): TrainRunner {
  return (request, hooks) =>
    new Promise<TrainResultSummary>((resolve, reject) => {
      const data: TrainWorkerData = { ...request, kind: 'voxlab-train', studyDir };
      const worker = new Worker(url, { workerData: data, name: 'voxlab-train' });
      let settled = false;
      const settle = (f: () => void) => {
        if (settled) return;
        settled = true;
        hooks.signal.removeEventListener('abort', onAbort);
        void worker.terminate(); // its wasm thread pool would keep it alive
        f();
      };
      const onAbort = () => worker.postMessage({ type: 'cancel' });
      hooks.signal.addEventListener('abort', onAbort);
      worker.on('message', (m: TrainWorkerMessage) => {
        if (m.type === 'progress') hooks.onProgress(m.progress);
        else if (m.type === 'epoch') hooks.onEpoch(m.epoch, m.record);
        else if (m.type === 'done') settle(() => resolve(m.result));
        else settle(() => reject(VoxlabError.fromJSON(m.error)));
      });
      worker.on('error', (e) =>
        settle(() =>
          reject(
            new VoxlabError('INTERNAL', `The training worker crashed: ${e.message}`, undefined, { cause: e }),
          ),
        ),
      );
      worker.on('exit', (code) =>
        settle(() =>
          reject(
            new VoxlabError(
              'INTERNAL',
              `The training worker stopped (exit code ${code}) before reporting an end`,
            ),
          ),
        ),
      );
    });
}
