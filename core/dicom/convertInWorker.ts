// DICOM conversion off the calling thread (issue #11: "runs in the core (Node, worker threads)"): dcm2niix
// runs in a worker thread, so a server keeps answering while a series converts, and a cancelled import
// stops at once (its worker is terminated: dcm2niix's main cannot be interrupted). Each conversion gets a
// fresh dcm2niix instance; one idle worker is kept for 30 s so that a second import does not pay the
// thread start again (about 0.1 s of the MPRAGE's 0.5 s on a 2-core laptop), then it ends and its memory
// goes back to the system.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { VoxlabError } from '../common/errors.js';
import { compiledDcm2niix, convertDicomBuffers, convertDicomFiles, type ConvertResult } from './dcm2niix.js';
import type { ConvertRequest, ConvertWorkerData, ConvertWorkerMessage } from './convertWorker.js';

/** The compiled worker beside this module (exists under dist/ only; from sources, conversion runs in-thread). */
export const CONVERT_WORKER_URL = new URL('./convertWorker.js', import.meta.url);

/** What to convert: files to read, or their bytes (copied to the worker: they may be views of pooled buffers). */
export type ConvertInput = { readonly files: readonly string[] } | { readonly inputs: readonly { name: string; bytes: Uint8Array }[] };

const IDLE_MS = 30_000;
let idle: { worker: Worker; url: string; timer: NodeJS.Timeout } | null = null;
let nextId = 1;

/** An idle worker for `url`, or a new one. */
async function takeWorker(url: URL): Promise<Worker> {
  if (idle !== null && idle.url === url.href) {
    const { worker, timer } = idle;
    idle = null;
    clearTimeout(timer);
    worker.ref();
    return worker;
  }
  const data: ConvertWorkerData = { kind: 'voxlab-dcm2niix', module: await compiledDcm2niix() };
  return new Worker(url, { workerData: data, name: 'voxlab-dcm2niix' });
}

/** Keeps `worker` as the idle one (ending any other), or ends it. It never keeps the process alive. */
function giveBack(worker: Worker, url: URL): void {
  if (idle !== null) void idle.worker.terminate();
  worker.unref();
  const timer = setTimeout(() => {
    if (idle?.worker === worker) idle = null;
    void worker.terminate();
  }, IDLE_MS);
  timer.unref();
  idle = { worker, url: url.href, timer };
}

/**
 * Converts `input` with dcm2niix in a worker thread (in this thread when the compiled worker is absent, as
 * under the TypeScript sources in tests). Errors as convertDicomFiles / convertDicomBuffers; CANCELLED
 * when `signal` aborts.
 */
export async function convertDicom(input: ConvertInput, options: { signal?: AbortSignal; url?: URL } = {}): Promise<ConvertResult> {
  const url = options.url ?? CONVERT_WORKER_URL;
  const { signal } = options;
  signal?.throwIfAborted();
  if (url.protocol !== 'file:' || !existsSync(fileURLToPath(url)))
    return 'files' in input ? convertDicomFiles(input.files) : convertDicomBuffers(input.inputs);
  const worker = await takeWorker(url);
  const id = nextId++;
  return new Promise<ConvertResult>((resolve, reject) => {
    let settled = false;
    const settle = (keep: boolean, f: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      if (keep) giveBack(worker, url);
      else void worker.terminate();
      f();
    };
    const onAbort = () => settle(false, () => reject(new VoxlabError('CANCELLED', 'The DICOM conversion was stopped')));
    const onMessage = (m: ConvertWorkerMessage) => {
      if (m.id !== id) return;
      if (m.type === 'done') settle(true, () => resolve(m.result));
      else settle(true, () => reject(VoxlabError.fromJSON(m.error)));
    };
    const onError = (e: Error) => settle(false, () => reject(new VoxlabError('INTERNAL', `The DICOM conversion thread failed: ${e.message}`, {}, { cause: e })));
    const onExit = (code: number) => settle(false, () => reject(new VoxlabError('INTERNAL', `The DICOM conversion thread ended (exit code ${code}) without an answer`)));
    signal?.addEventListener('abort', onAbort);
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    worker.postMessage({ id, ...input } satisfies ConvertRequest);
  });
}
