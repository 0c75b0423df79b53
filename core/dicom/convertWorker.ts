// The worker-thread side of convertDicom (convertInWorker.ts): conversions one at a time, each in a fresh
// dcm2niix instance, with dcm2niix's code compiled by the main thread and posted in (no compile here).
// Results go back with their NIfTI buffers transferred, not copied.

import { parentPort, workerData } from 'node:worker_threads';
import { VoxlabError, isVoxlabError } from '../common/errors.js';
import { convertDicomBuffers, convertDicomFiles, useCompiledDcm2niix, type CompiledWasm, type ConvertResult } from './dcm2niix.js';

/** What the worker starts with. */
export interface ConvertWorkerData {
  readonly kind: 'voxlab-dcm2niix';
  readonly module: CompiledWasm;
}

/** One conversion asked of the worker: the files to read, or the bytes themselves. */
export type ConvertRequest = { readonly id: number } & (
  | { readonly files: readonly string[] }
  | { readonly inputs: readonly { name: string; bytes: Uint8Array }[] }
);

export type ConvertWorkerMessage =
  | { readonly id: number; readonly type: 'done'; readonly result: ConvertResult }
  | { readonly id: number; readonly type: 'failed'; readonly error: ReturnType<VoxlabError['toJSON']> };

if (parentPort !== null && (workerData as { kind?: string } | null)?.kind === 'voxlab-dcm2niix') {
  const port = parentPort;
  useCompiledDcm2niix((workerData as ConvertWorkerData).module);
  port.on('message', (request: ConvertRequest) => {
    const work = 'files' in request ? convertDicomFiles(request.files) : convertDicomBuffers(request.inputs);
    work.then(
      (result) => {
        const buffers = [...new Set(result.series.map((s) => s.nifti.buffer as ArrayBuffer))];
        port.postMessage({ id: request.id, type: 'done', result } satisfies ConvertWorkerMessage, buffers);
      },
      (e: unknown) => {
        const error = isVoxlabError(e) ? e : new VoxlabError('INTERNAL', `DICOM conversion failed: ${(e as Error)?.stack ?? String(e)}`);
        port.postMessage({ id: request.id, type: 'failed', error: error.toJSON() } satisfies ConvertWorkerMessage);
      },
    );
  });
}
