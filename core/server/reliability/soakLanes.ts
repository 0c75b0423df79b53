// The crash soak's slower lanes, run beside the write lane on some cycles: a training run started or resumed
// over HTTP (its epochs are acknowledged by the train.epoch event, sent after the checkpoint is committed),
// and a DICOM series uploaded file by file and imported. Each reports through the cycle's gate, which may
// time the kill from their progress.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CoreApi, Json } from '../../api/index.js';
import { isVoxlabError } from '../../common/errors.js';
import type { LaneGate } from './soakLoad.js';

/** The training settings of the soak: core/train/testing's TINY_CONFIG, with epochs enough never to finish. */
export const SOAK_TRAIN_CONFIG = {
  model: 'tiny',
  modelOverrides: { blockConfig: [2, 2] },
  inputSize: 16,
  epochs: 10_000,
  batchSize: 2,
  learningRate: 3e-3,
  valFraction: 0.25,
  valInterval: 2,
  augment: { rotate90: null },
  seed: 5,
} as const;

/** How long a training job may take to report an epoch before the soak calls it stuck. */
const EPOCH_TIMEOUT_MS = 120_000;
const POLL_MS = 100;

/** What a training lane saw: the first epoch its job reported (null: none), and a failure in words. */
export interface TrainingOutcome {
  firstEpoch: number | null;
  failure: string | null;
}

/**
 * Starts (`resumeFrom` null) or resumes run `runId` and acknowledges each epoch its job reports, until the
 * gate says the server is dying. `onEpoch` is told each acknowledged epoch (the kill is timed from it).
 */
export async function trainingLane(api: CoreApi, runId: string, resume: boolean, gate: LaneGate, onEpoch: (epoch: number) => void): Promise<TrainingOutcome> {
  const outcome: TrainingOutcome = { firstEpoch: null, failure: null };
  let jobId: string | null = null;
  const early: { epoch: number; jobId: string }[] = [];
  const failedJobs = new Map<string, string>();
  const seen = (epoch: number) => {
    outcome.firstEpoch ??= epoch;
    gate.ack({ kind: 'epoch', runId, epoch });
    onEpoch(epoch);
  };
  // Epochs that arrive before the job's id is known (a fast first epoch) wait in `early`.
  const unsubscribe = api.events.subscribe((e) => {
    if (e.type === 'train.epoch') {
      if (jobId === null) early.push({ epoch: e.epoch, jobId: e.jobId });
      else if (e.jobId === jobId) seen(e.epoch);
    } else if (e.type === 'job' && e.job.state === 'failed') failedJobs.set(e.job.id, `${e.job.error?.code}: ${e.job.error?.message}`);
  });
  try {
    await new Promise((r) => setTimeout(r, 150)); // the event stream is connected before the job starts
    const job = resume ? await api.train.resume({ runId }) : await api.train.start({ config: SOAK_TRAIN_CONFIG as unknown as Json, runId });
    jobId = job.id;
    for (const e of early.filter((x) => x.jobId === jobId)) seen(e.epoch);
    const started = performance.now();
    while (!gate.dying()) {
      const failed = failedJobs.get(jobId);
      if (failed !== undefined) {
        outcome.failure = `training job ${jobId} failed: ${failed}`;
        return outcome;
      }
      if (outcome.firstEpoch === null && performance.now() - started > EPOCH_TIMEOUT_MS) {
        outcome.failure = `training job ${jobId} reported no epoch in ${EPOCH_TIMEOUT_MS} ms`;
        return outcome;
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  } catch (e) {
    if (!gate.dying()) outcome.failure = `train.${resume ? 'resume' : 'start'} failed: ${isVoxlabError(e) ? `[${e.code}] ` : ''}${(e as Error).message}`;
  } finally {
    unsubscribe();
  }
  return outcome;
}

/** The files of the DICOM series folder `dir` (sorted), read once. */
export function readSeries(dir: string): { name: string; bytes: Uint8Array }[] {
  return readdirSync(dir)
    .sort()
    .map((name) => ({ name, bytes: new Uint8Array(readFileSync(path.join(dir, name))) }));
}

/** Where a DICOM lane got to; `stage` counts acknowledged file uploads. */
export interface DicomProgress {
  staged: number;
  importing: boolean;
  done: boolean;
}

/**
 * Uploads `series` as upload `uploadId` (dicom.stage per file), imports it (dicom.importStaged) and polls
 * the job; acknowledges the imported image ids once it is done. Returns a failure in words, or null (also
 * when the kill cut it short). `progress` is updated as it goes and `onProgress` called after each step.
 */
export async function dicomLane(
  api: CoreApi,
  series: readonly { name: string; bytes: Uint8Array }[],
  uploadId: string,
  gate: LaneGate,
  progress: DicomProgress,
  onProgress: () => void,
): Promise<{ failure: string | null; imported: string[] | null }> {
  try {
    for (const file of series) {
      await api.dicom.stage({ uploadId, name: file.name }, file.bytes);
      progress.staged++;
      onProgress();
    }
    const job = await api.dicom.importStaged({ uploadId, author: 'soak' });
    progress.importing = true;
    onProgress();
    for (;;) {
      if (gate.dying()) return { failure: null, imported: null };
      const now = await api.jobs.get({ jobId: job.id });
      if (now.state === 'done') {
        const imported = ((now.result as { imported?: { imageId: string }[] } | null)?.imported ?? []).map((i) => i.imageId);
        gate.ack({ kind: 'dicom', imageIds: imported });
        progress.done = true;
        onProgress();
        return { failure: null, imported };
      }
      if (now.state !== 'running') return { failure: `DICOM import job ${job.id} ended ${now.state}: ${now.error?.code} ${now.error?.message}`, imported: null };
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  } catch (e) {
    if (gate.dying()) return { failure: null, imported: null };
    return { failure: `DICOM upload/import failed while the server was up: ${isVoxlabError(e) ? `[${e.code}] ` : ''}${(e as Error).message}`, imported: null };
  }
}
