// Training entry points: a new run on a study's labels, resuming a stopped run, and k-fold cross-validation.
// Everything is checked (config, labels, classes, split sizes, every scan's header) before training starts.

import { existsSync } from 'node:fs';
import { VoxlabError } from '../common/errors.js';
import type { Study } from '../datastore/index.js';
import { readManifest, runFolder, writeManifest, type RunManifest } from './checkpoint.js';
import { resolveTrainConfig, type TrainConfig, type TrainConfigInput } from './config.js';
import { checkScans, labeledImages, type TrainingData } from './dataset.js';
import { buildManifest, newRunId } from './runSetup.js';
import { stratifiedKFold, stratifiedSplit, type Split } from './split.js';
import { executeRun, type RunOptions, type TrainResult } from './trainRun.js';

export interface TrainOptions extends RunOptions {
  /** Id of the new run and of the model it records (default `train-YYYYMMDD-HHMMSS`). */
  readonly runId?: string;
}

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * Trains a classifier on the study's labeled images: stratified split by config.seed, then
 * executeRun. The model is recorded under the run id with its best epoch's weights. Throws
 * TRAIN_CONFIG_INVALID, TRAIN_DATA_INVALID (no labels, one class, too few images, unreadable scans),
 * ALREADY_EXISTS (run id taken), CANCELLED.
 */
export async function train(
  study: Study,
  input: TrainConfigInput = {},
  options: TrainOptions = {},
): Promise<TrainResult> {
  const config = resolveTrainConfig(input);
  const data = labeledImages(study);
  const split = stratifiedSplit(
    data.images.map((i) => i.classIndex),
    config.valFraction,
    config.seed,
    data.classes,
  );
  await checkScans(data.images, options.signal ? { signal: options.signal } : {});
  const runId = checkRunId(study, options.runId ?? newRunId(study));
  return startRun(study, runId, { config, data, split }, options);
}

/** Writes a new run's manifest into its folder, then trains it (train and each crossValidate fold). */
async function startRun(
  study: Study,
  runId: string,
  plan: { config: TrainConfig; data: TrainingData; split: Split; fold?: RunManifest['fold'] },
  options: RunOptions,
): Promise<TrainResult> {
  const manifest = buildManifest(study, runId, plan.config, plan.data, plan.split, plan.fold ?? null);
  const dir = runFolder(study.dir, runId);
  await writeManifest(dir, manifest);
  return executeRun(study, dir, manifest, options);
}

/**
 * Continues the run `runId` from its last checkpoint (epoch, weights, optimizer state; the shuffles and
 * augmentations are seeded per epoch, so the result equals an uninterrupted run). A run that already
 * finished returns its recorded model. Throws NOT_FOUND (no such run), TRAIN_DATA_INVALID (labels changed).
 */
export async function resumeTraining(
  study: Study,
  runId: string,
  options: RunOptions = {},
): Promise<TrainResult> {
  checkRunId(study, runId, true);
  const dir = runFolder(study.dir, runId);
  const manifest = await readManifest(dir);
  if (manifest.runId !== runId)
    throw new VoxlabError('STUDY_INVALID', `${dir}/run.json belongs to run ${manifest.runId}, not ${runId}`);
  return executeRun(study, dir, manifest, options);
}

function checkRunId(study: Study, runId: string, existing = false): string {
  if (!RUN_ID.test(runId))
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `A run id must be 1-128 letters, digits, '.', '_' or '-', got ${JSON.stringify(runId)}`,
    );
  if (!existing && existsSync(runFolder(study.dir, runId)))
    throw new VoxlabError(
      'ALREADY_EXISTS',
      `${runFolder(study.dir, runId)} already exists: pick another run id`,
      {
        modelId: runId,
      },
    );
  if (!existing && study.listModels().some((m) => m.id === runId))
    throw new VoxlabError('ALREADY_EXISTS', `The study already has a model "${runId}"`, { modelId: runId });
  return runId;
}

/** Mean and sample standard deviation of per-fold values (null values are left out). */
export interface FoldSummary {
  readonly mean: number | null;
  readonly sd: number | null;
  readonly perFold: readonly (number | null)[];
}

export interface CrossValidationResult {
  readonly folds: readonly TrainResult[];
  /**
   * Validation metrics of each fold's LAST epoch: the honest estimate, since nothing was chosen on the
   * held-out fold. `bestEpoch` uses the epoch each fold picked on its own validation data: optimistic.
   */
  readonly lastEpoch: { readonly accuracy: FoldSummary; readonly auc: FoldSummary };
  readonly bestEpoch: { readonly accuracy: FoldSummary; readonly auc: FoldSummary };
  readonly config: TrainConfig;
}

/**
 * k-fold stratified cross-validation: k runs `<baseId>-fold<i>` (each recorded as a model), each validating
 * on one fold and training on the others. Same checks as train, plus TRAIN_DATA_INVALID when a class has
 * fewer than k images. `onFold` is called before each fold starts (1-based).
 */
export async function crossValidate(
  study: Study,
  input: TrainConfigInput,
  k: number,
  options: TrainOptions & { readonly onFold?: (fold: number, of: number) => void } = {},
): Promise<CrossValidationResult> {
  const config = resolveTrainConfig(input);
  const data = labeledImages(study);
  const folds = stratifiedKFold(
    data.images.map((i) => i.classIndex),
    k,
    config.seed,
    data.classes,
  );
  await checkScans(data.images, options.signal ? { signal: options.signal } : {});
  const baseId = options.runId ?? newRunId(study, 'cv');
  folds.forEach((_, f) => checkRunId(study, `${baseId}-fold${f + 1}`));
  const results: TrainResult[] = [];
  for (const [f, split] of folds.entries()) {
    options.onFold?.(f + 1, k);
    const plan = { config, data, split, fold: { index: f + 1, of: k } };
    results.push(await startRun(study, `${baseId}-fold${f + 1}`, plan, options));
  }
  const pick = (r: TrainResult, which: 'last' | 'best') =>
    which === 'best' ? (r.best?.metrics ?? null) : r.history.at(-1)!.val;
  const summary = (which: 'last' | 'best') => ({
    accuracy: summarize(results.map((r) => pick(r, which)?.accuracy ?? null)),
    auc: summarize(results.map((r) => pick(r, which)?.auc ?? null)),
  });
  return { folds: results, lastEpoch: summary('last'), bestEpoch: summary('best'), config };
}

function summarize(values: readonly (number | null)[]): FoldSummary {
  const xs = values.filter((v): v is number => v !== null);
  if (xs.length === 0) return { mean: null, sd: null, perFold: values };
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = xs.length < 2 ? null : Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
  return { mean, sd, perFold: values };
}
