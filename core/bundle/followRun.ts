// `voxlab train --follow DIR`: a bundle run started elsewhere (a cluster, a cloud machine) followed through
// its output folder, on a shared or synced filesystem, into the study's run metrics and model list.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { VoxlabError } from '../common/errors.js';
import type { ModelRecord, Study } from '../datastore/index.js';
import { followMetrics, type FollowOptions, type FollowResult } from './follow.js';
import { recordBundleEpoch, recordBundleModel } from './followRecord.js';
import { METRICS_FILE, TRAIN_OUTPUT } from './run.js';

/** Where a followed run's files are: its bundle root and output folder (holding metrics.jsonl). */
export interface FollowTarget {
  readonly bundleDir: string;
  readonly outputDir: string;
  readonly metricsFile: string;
}

/**
 * Reads `dir` as a bundle root (its runs/train/metrics.jsonl, or configs/ before the run wrote any) or as
 * the output folder itself (metrics.jsonl inside; the root two levels up when it is <root>/runs/train).
 * Throws NOT_FOUND when it is neither.
 */
export function followTarget(dir: string): FollowTarget {
  const abs = path.resolve(dir);
  if (existsSync(path.join(abs, METRICS_FILE))) {
    const up = path.resolve(abs, '..', '..');
    const bundleDir = path.join(up, TRAIN_OUTPUT) === abs ? up : abs;
    return { bundleDir, outputDir: abs, metricsFile: path.join(abs, METRICS_FILE) };
  }
  const outputDir = path.join(abs, TRAIN_OUTPUT);
  if (existsSync(path.join(abs, 'configs')) || existsSync(outputDir))
    return { bundleDir: abs, outputDir, metricsFile: path.join(outputDir, METRICS_FILE) };
  throw new VoxlabError('NOT_FOUND', `${abs} is neither a MONAI bundle nor a folder with ${METRICS_FILE}`, { path: abs });
}

export type FollowRunOptions = Omit<FollowOptions, 'writerEnded'> & {
  readonly runId: string;
  /** The study's data version the run's bundle was exported from, when known (default null). */
  readonly dataVersion?: string | null;
};

/**
 * Follows the run in `dir` to its done line, recording each epoch under `runId` (epochs recorded by an
 * earlier follow are kept) and then the model. Following again after an interruption is safe. Throws like
 * followMetrics and recordBundleModel.
 */
export async function followBundleRun(
  study: Study,
  dir: string,
  options: FollowRunOptions,
): Promise<FollowResult & { readonly model: ModelRecord; readonly target: FollowTarget }> {
  const target = followTarget(dir);
  const { runId, dataVersion, onEpoch, ...follow } = options;
  const result = await followMetrics(target.metricsFile, {
    ...follow,
    onEpoch: (r, best) => {
      recordBundleEpoch(study, runId, r);
      onEpoch?.(r, best);
    },
  });
  const info = { runId, outputDir: target.outputDir, bundleDir: target.bundleDir, dataVersion: dataVersion ?? null };
  return { ...result, model: await recordBundleModel(study, info, result), target };
}
