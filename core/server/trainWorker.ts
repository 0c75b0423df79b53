// A training run in a worker thread, so the server (or the desktop core process) keeps answering while
// tfjs computes. Opens its own connection to the study (SQLite WAL, busy timeout), trains or resumes, and
// reports progress, epochs and the end to the parent; a 'cancel' message aborts within one step.

import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '../backend/selectBackend.js';
import { VoxlabError, isVoxlabError } from '../common/errors.js';
import { openStudy } from '../datastore/index.js';
import { resumeTraining, train, type TrainConfigInput } from '../train/index.js';
import { trainSummary, type TrainWorkerData, type TrainWorkerMessage } from './trainJobs.js';

async function run(
  data: TrainWorkerData,
  post: (m: TrainWorkerMessage) => void,
  signal: AbortSignal,
): Promise<void> {
  const report = await initBackend({ prefer: 'auto' });
  const study = openStudy(data.studyDir);
  try {
    const options = {
      signal,
      backend: `tfjs-${report.backend}`,
      onProgress: (progress: Extract<TrainWorkerMessage, { type: 'progress' }>['progress']) =>
        post({ type: 'progress', progress }),
      onEpoch: (record: { epoch: number }) =>
        post({ type: 'epoch', epoch: record.epoch, record: JSON.parse(JSON.stringify(record)) }),
    };
    const result =
      data.mode === 'resume'
        ? await resumeTraining(study, data.runId, options)
        : await train(study, data.config as TrainConfigInput, { ...options, runId: data.runId });
    post({ type: 'done', result: trainSummary(result) });
  } finally {
    study.close();
  }
}

if (parentPort !== null && (workerData as { kind?: string } | null)?.kind === 'voxlab-train') {
  const port = parentPort;
  const controller = new AbortController();
  port.on('message', (m: unknown) => {
    if ((m as { type?: string })?.type === 'cancel') controller.abort();
  });
  run(workerData as TrainWorkerData, (m) => port.postMessage(m), controller.signal).catch((e: unknown) => {
    const error = isVoxlabError(e)
      ? e
      : new VoxlabError('INTERNAL', `training failed: ${(e as Error)?.stack ?? String(e)}`);
    port.postMessage({ type: 'failed', error: error.toJSON() } satisfies TrainWorkerMessage);
  });
}
