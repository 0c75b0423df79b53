// `voxlab train --study DIR`: train the 3D classifier on the study's labels with the IXI tutorial's recipe
// (or other settings), with a progress bar, a line per epoch and a summary. Ctrl-C stops within one step.

import { BACKEND_PREFERENCES, initBackend, type BackendPreference } from '../../backend/selectBackend.js';
import { VoxlabError, isVoxlabError } from '../../common/errors.js';
import { openStudy } from '../../datastore/index.js';
import {
  crossValidate,
  MODEL_PRESETS,
  resolveTrainConfig,
  resumeTraining,
  train,
  type ClassificationMetrics,
  type CrossValidationResult,
  type EpochRecord,
  type ModelPreset,
  type TrainConfigInput,
  type TrainProgress,
  type TrainResult,
} from '../../train/index.js';
import {
  numberOption,
  requiredOption,
  stringOption,
  type Command,
  type OptionSpec,
  type ParsedArgs,
} from '../command.js';
import { ProgressBar } from '../progress.js';
import { MONAI_OPTIONS, trainWithMonai } from './trainMonai.js';

/** `--backend` and `--threads`, shared by train and evaluate. */
export const BACKEND_OPTIONS: Record<string, OptionSpec> = {
  backend: {
    type: 'string',
    help: 'auto (VOXLAB_BACKEND if set), webgpu (also a software adapter), tensorflow (tfjs-node), wasm or cpu',
    default: 'auto',
  },
  threads: { type: 'string', help: 'wasm compute threads (default: all cores)' },
};

/** Starts the backend the options ask for; returns its name as models record it (e.g. 'tfjs-wasm'). */
export async function startBackend(args: ParsedArgs): Promise<string> {
  const prefer = stringOption(args, 'backend') ?? 'auto';
  if (!(BACKEND_PREFERENCES as readonly string[]).includes(prefer))
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `--backend must be one of ${BACKEND_PREFERENCES.join(', ')}, got '${prefer}'`,
    );
  const threads = numberOption(args, 'threads', { integer: true, min: 1 });
  const report = await initBackend({
    prefer: prefer as BackendPreference,
    ...(threads !== undefined ? { threads } : {}),
  });
  if (prefer !== 'auto' && report.backend !== prefer) {
    const why =
      report.candidates.find((c) => c.name === prefer || (prefer === 'tensorflow' && c.name === 'tfjs-node'))
        ?.reason ?? 'not available';
    process.stderr.write(`backend ${prefer} is not available (${why}); using ${report.backend}\n`);
  }
  const on =
    report.backend === 'webgpu'
      ? `on ${report.candidates.find((c) => c.name === 'webgpu')!.reason}`
      : `${report.threads} thread(s)${report.simd ? ', SIMD' : ''}`;
  process.stderr.write(`backend  ${report.backend}, ${on}\n`);
  return `tfjs-${report.backend}`;
}

/**
 * Runs `work` with an AbortSignal that the first Ctrl-C (SIGINT) or SIGTERM aborts: the run stops within one
 * step and keeps its finished epochs (issue #18: SIGTERM used to end the process and lose the epoch). A
 * second one of the same signal kills the process as usual.
 */
export async function withCancel<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    const again = signal === 'SIGINT' ? 'Ctrl-C again' : 'SIGTERM again';
    process.stderr.write(`\nstopping after the current step (${again} to kill)...\n`);
    controller.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await work(controller.signal);
  } catch (e) {
    const runId = isVoxlabError(e) && e.code === 'CANCELLED' ? e.details?.runId : undefined;
    if (typeof runId === 'string')
      throw new VoxlabError(
        'CANCELLED',
        `${e instanceof Error ? e.message : ''}; continue it with: voxlab train --study DIR --resume ${runId}`,
        { runId },
      );
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** The options that change what a run learns (as opposed to how it runs); export-bundle takes them too. */
export const SETTINGS = [
  'epochs',
  'lr',
  'batch',
  'size',
  'model',
  'val-fraction',
  'val-interval',
  'rotate-prob',
  'flip-prob',
  'seed',
] as const;

/** The training settings given on the command line (undefined = the recipe's default). */
export function configFromArgs(args: ParsedArgs): TrainConfigInput {
  const model = stringOption(args, 'model');
  if (model !== undefined && !Object.hasOwn(MODEL_PRESETS, model))
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `--model must be one of ${Object.keys(MODEL_PRESETS).join(', ')}, got '${model}'`,
    );
  const rotateProb = numberOption(args, 'rotate-prob', { min: 0 });
  const flipProb = numberOption(args, 'flip-prob', { min: 0 });
  return {
    epochs: numberOption(args, 'epochs', { integer: true, min: 1 }),
    learningRate: numberOption(args, 'lr'),
    batchSize: numberOption(args, 'batch', { integer: true, min: 1 }),
    inputSize: numberOption(args, 'size', { integer: true, min: 1 }),
    model: model as ModelPreset | undefined,
    valFraction: numberOption(args, 'val-fraction'),
    valInterval: numberOption(args, 'val-interval', { integer: true, min: 1 }),
    seed: numberOption(args, 'seed', { integer: true }),
    augment: {
      ...(rotateProb !== undefined ? { rotate90: rotateProb === 0 ? null : { prob: rotateProb } } : {}),
      ...(flipProb !== undefined ? { flip: flipProb === 0 ? null : { prob: flipProb } } : {}),
    },
  };
}

const pct = (v: number | null | undefined): string => (v === null || v === undefined ? '-' : v.toFixed(3));

/** One line per epoch: train loss/accuracy, and validation loss/accuracy/AUC when validated. */
export function formatEpoch(r: EpochRecord, epochs: number, isBest: boolean): string {
  const val = r.val
    ? `  val loss ${r.val.loss.toFixed(4)} acc ${pct(r.val.accuracy)} auc ${pct(r.val.auc)}${isBest ? '  *best*' : ''}`
    : '';
  return `epoch ${r.epoch}/${epochs}  train loss ${r.train.loss.toFixed(4)} acc ${pct(r.train.accuracy)}${val}  ${r.seconds.toFixed(1)}s`;
}

/** The confusion matrix as indented lines: rows = true class, columns = predicted class. */
export function formatConfusion(m: ClassificationMetrics, classes: readonly string[]): string[] {
  const w = Math.max(8, ...classes.map((c) => c.length + 2));
  return [
    `  ${'true \\ predicted'.padEnd(w + 8)}${classes.map((c) => c.padStart(w)).join('')}`,
    ...m.confusion.map(
      (row, t) => `  ${classes[t]!.padEnd(w + 8)}${row.map((n) => String(n).padStart(w)).join('')}`,
    ),
  ];
}

function resumeNote(r: TrainResult): string {
  if (r.startEpoch === 1) return '';
  return r.startEpoch > r.history.length
    ? ' (the run had already finished: nothing to resume)'
    : ` (resumed at epoch ${r.startEpoch})`;
}

/** The summary printed after a run. */
export function formatTrainSummary(r: TrainResult): string {
  const best = r.best;
  const files = (r.model.config as { files?: { best?: string; last?: string } }).files;
  const lines = [
    `model    ${r.modelId} (recorded in the study; classes ${r.classes.join(', ')})`,
    best
      ? `best     epoch ${best.epoch}: val accuracy ${pct(best.metrics.accuracy)}, AUC ${pct(best.metrics.auc)}, loss ${best.metrics.loss.toFixed(4)} (n = ${best.metrics.n})`
      : 'best     no validated epoch',
    ...(best ? formatConfusion(best.metrics, r.classes) : []),
    `files    ${files?.best ?? '?'} (best), ${files?.last ?? '?'} (last)`,
    `ran on   ${r.backend}, ${r.seconds.toFixed(1)}s${resumeNote(r)}, peak RSS ${Math.round(r.peakRssMb)} MB${r.gpuPeakMb !== undefined ? `, GPU memory ${r.gpuPeakMb} MB peak` : ''}, cache ${Math.round(r.cache.peakBytes / 2 ** 20)} MB peak (${r.cache.hits} hits, ${r.cache.misses} loads)`,
  ];
  return lines.join('\n');
}

/** The summary printed after cross-validation. */
export function formatCrossValidation(cv: CrossValidationResult): string {
  const s = (x: { mean: number | null; sd: number | null }) => `${pct(x.mean)} ± ${pct(x.sd)}`;
  return [
    `cross-validation: ${cv.folds.length} folds, ${cv.config.epochs} epochs each`,
    ...cv.folds.map(
      (f, i) =>
        `  fold ${i + 1}  ${f.modelId}  last epoch: acc ${pct(cv.lastEpoch.accuracy.perFold[i])} auc ${pct(cv.lastEpoch.auc.perFold[i])}  (best epoch: acc ${pct(cv.bestEpoch.accuracy.perFold[i])})`,
    ),
    `last epoch (unbiased): accuracy ${s(cv.lastEpoch.accuracy)}, AUC ${s(cv.lastEpoch.auc)}`,
    `best epoch (chosen on the validation fold, optimistic): accuracy ${s(cv.bestEpoch.accuracy)}, AUC ${s(cv.bestEpoch.auc)}`,
  ].join('\n');
}

/** Draws the bar for the current epoch and phase; a new bar starts when either changes. */
function progressReporter(): {
  onProgress: (p: TrainProgress) => void;
  onEpoch: (r: EpochRecord, best: TrainResult['best']) => void;
  finish: () => void;
} {
  let bar: ProgressBar | null = null;
  let key = '';
  let epochs = 0;
  return {
    onProgress: (p) => {
      epochs = p.epochs;
      const k = `${p.phase}${p.epoch}`;
      if (k !== key) {
        bar?.finish();
        bar = new ProgressBar({
          label: `${p.phase === 'train' ? 'epoch' : 'validate'} ${p.epoch}/${p.epochs}`,
        });
        key = k;
      }
      bar!.update(p.step, p.stepsPerEpoch, `loss ${p.loss.toFixed(4)}, run ETA ${formatDuration(p.etaS)}`);
    },
    onEpoch: (r, best) => {
      bar?.finish();
      bar = null;
      key = '';
      process.stderr.write(`${formatEpoch(r, epochs, best?.epoch === r.epoch)}\n`);
    },
    finish: () => bar?.finish(),
  };
}

/** `--engine monai` and `--follow`: the study's MONAI bundle with the user's Python, or a run started elsewhere. */
async function trainMonai(args: ParsedArgs): Promise<number> {
  const voxlabOnly = ['resume', 'folds', 'workers', 'cache-mb', 'threads'].filter((n) => args.values[n] !== undefined);
  if (voxlabOnly.length > 0)
    throw new VoxlabError('BAD_ARGUMENT', `${voxlabOnly.map((n) => `--${n}`).join(', ')} belong to the voxlab engine, not to MONAI bundles`);
  const settings = configFromArgs(args);
  resolveTrainConfig(settings);
  const given = SETTINGS.filter((name) => args.values[name] !== undefined);
  const study = openStudy(requiredOption(args, 'study'));
  try {
    await withCancel((signal) => trainWithMonai(study, args, { settings, given, signal, formatEpoch }));
    return 0;
  } finally {
    study.close();
  }
}

/** 75 → '1m15s', 3700 → '1h01m'. */
export function formatDuration(s: number): string {
  if (s < 60) return `${Math.round(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export const trainCommand: Command = {
  name: 'train',
  usage:
    '--study DIR [--epochs N] [--lr X] [--batch N] [--size N] [--model densenet121|small|tiny] [--folds K] [--resume ID] [--engine monai [--python PATH] [--launch CMD] [--bundle DIR]] [--follow DIR] [--json]',
  summary:
    "Train the 3D classifier on a study's labeled scans (MONAI IXI recipe) and record the model in the study.",
  positionals: [0, 0],
  options: {
    study: { type: 'string', help: 'the study folder' },
    epochs: { type: 'string', help: 'passes over the training images (default 5)' },
    lr: { type: 'string', help: "Adam learning rate (default 1e-4, the tutorial notebook's)" },
    batch: { type: 'string', help: 'volumes per step (default 2)' },
    size: { type: 'string', help: 'network input edge in voxels: scans are resized to SIZE^3 (default 96)' },
    model: {
      type: 'string',
      help: 'densenet121, small (0.2M parameters, fast at 64^3), or tiny (11k, MONAI reference)',
    },
    'val-fraction': { type: 'string', help: 'fraction of each class held out for validation (default 0.2)' },
    'val-interval': { type: 'string', help: 'validate every N epochs, and after the last (default 2)' },
    'rotate-prob': { type: 'string', help: 'RandRotate90 probability, 0 = off (default 0.1, MONAI)' },
    'flip-prob': { type: 'string', help: 'RandFlip probability over all axes (default off)' },
    seed: { type: 'string', help: 'seed of the split, weights, order and augmentation (default 0)' },
    folds: { type: 'string', help: 'k-fold cross-validation instead of one split: trains K models' },
    resume: {
      type: 'string',
      help: "continue a stopped run (its id) from its last epoch; other settings are the run's",
    },
    id: { type: 'string', help: 'id of the new run and model (default train-<date>-<time>)' },
    workers: { type: 'string', help: 'preprocessing threads (default 1)' },
    'cache-mb': { type: 'string', help: 'most MB of preprocessed scans kept in memory (default 1024)' },
    ...BACKEND_OPTIONS,
    ...MONAI_OPTIONS,
    json: { type: 'boolean', help: 'print the result as JSON on stdout' },
  },
  async run(args) {
    const engine = stringOption(args, 'engine') ?? 'voxlab';
    if (engine !== 'voxlab' && engine !== 'monai')
      throw new VoxlabError('BAD_ARGUMENT', `--engine must be voxlab or monai, got '${engine}'`);
    if (engine === 'monai' || args.values.follow !== undefined) return trainMonai(args);
    const resume = stringOption(args, 'resume');
    const folds = numberOption(args, 'folds', { integer: true, min: 2 });
    const config = configFromArgs(args);
    const given = SETTINGS.filter((name) => args.values[name] !== undefined);
    if (resume !== undefined && (folds !== undefined || given.length > 0)) {
      throw new VoxlabError(
        'BAD_ARGUMENT',
        `--resume continues a run with its own settings: drop ${[...given, ...(folds !== undefined ? ['folds'] : [])].map((n) => `--${n}`).join(', ')}`,
      );
    }
    resolveTrainConfig(config); // a bad setting fails here, before the backend starts or the study opens
    const runId = stringOption(args, 'id');
    const workers = numberOption(args, 'workers', { integer: true, min: 0 });
    const cacheMb = numberOption(args, 'cache-mb', { min: 0 });
    const study = openStudy(requiredOption(args, 'study'));
    try {
      const backend = await startBackend(args);
      const reporter = progressReporter();
      const result = await withCancel(async (signal) => {
        const options = {
          signal,
          backend,
          onProgress: reporter.onProgress,
          onEpoch: reporter.onEpoch,
          ...(runId ? { runId } : {}),
          ...(workers !== undefined ? { workers } : {}),
          ...(cacheMb !== undefined ? { cacheMb } : {}),
        };
        if (folds !== undefined)
          return crossValidate(study, config, folds, {
            ...options,
            onFold: (f, k) => process.stderr.write(`fold ${f}/${k}\n`),
          });
        if (resume !== undefined) return resumeTraining(study, resume, options);
        return train(study, config, options);
      });
      reporter.finish();
      if (args.values.json === true) process.stdout.write(`${JSON.stringify(result)}\n`);
      else
        process.stdout.write(
          `${'folds' in result ? formatCrossValidation(result) : formatTrainSummary(result)}\n`,
        );
      return 0;
    } finally {
      study.close();
    }
  },
};
