// Training: the form's settings, the running job with its live progress, one row per finished epoch for
// the chart and table, and the models of the study.

import { create } from 'zustand';
import type { Json, ModelSummary, TrainProgress } from '../../core/api/index.js';

/** The form: the settings a user changes most, seeded with the tutorial's defaults (core/train). */
export interface TrainForm {
  readonly runId: string;
  readonly model: 'densenet121' | 'small' | 'tiny';
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly inputSize: number;
  readonly valFraction: number;
  readonly valInterval: number;
  readonly seed: number;
}

export const FORM_DEFAULTS: TrainForm = {
  runId: '',
  model: 'small',
  epochs: 5,
  batchSize: 2,
  learningRate: 1e-4,
  inputSize: 64,
  valFraction: 0.2,
  valInterval: 2,
  seed: 0,
};

/** One finished epoch as the chart and table show it (null = not measured that epoch). */
export interface EpochRow {
  readonly epoch: number;
  readonly trainLoss: number | null;
  readonly trainAccuracy: number | null;
  readonly valLoss: number | null;
  readonly valAccuracy: number | null;
  readonly valAuc: number | null;
  /** Scans the validation metrics were computed on (null = not validated that epoch). */
  readonly valN: number | null;
  /** Scans trained on in the epoch. */
  readonly trainN: number | null;
  readonly seconds: number | null;
  readonly backend: string | null;
}

export interface TrainState {
  readonly form: TrainForm;
  readonly jobId: string | null;
  readonly runId: string | null;
  readonly state: 'idle' | 'running' | 'done' | 'failed' | 'cancelled';
  readonly progress: TrainProgress | null;
  /** Step losses of the running job: x = fractional epoch (epoch - 1 + step / steps). */
  readonly lossTrace: readonly (readonly [number, number])[];
  readonly message: string;
  readonly epochs: readonly EpochRow[];
  readonly models: readonly ModelSummary[];
  readonly problem: string | null;
  setForm(patch: Partial<TrainForm>): void;
  started(jobId: string, runId: string | null): void;
  setProgress(progress: TrainProgress): void;
  addEpoch(row: EpochRow): void;
  setEpochs(rows: readonly EpochRow[]): void;
  finished(state: TrainState['state'], message: string): void;
  setModels(models: readonly ModelSummary[]): void;
  setProblem(problem: string | null): void;
  reset(): void;
}

const INITIAL = {
  form: FORM_DEFAULTS,
  jobId: null,
  runId: null,
  state: 'idle',
  progress: null,
  lossTrace: [],
  message: '',
  epochs: [],
  models: [],
  problem: null,
} as const satisfies Partial<TrainState>;

export const useTrainStore = create<TrainState>()((set) => ({
  ...INITIAL,
  setForm: (patch) => set((s) => ({ form: { ...s.form, ...patch } })),
  started: (jobId, runId) => set({ jobId, runId, state: 'running', progress: null, lossTrace: [], message: 'starting…', epochs: [], problem: null }),
  setProgress: (progress) =>
    set((s) =>
      progress.phase === 'train'
        ? { progress, lossTrace: [...s.lossTrace, [progress.epoch - 1 + progress.step / progress.stepsPerEpoch, progress.loss] as const].slice(-2000) }
        : { progress },
    ),
  addEpoch: (row) => set((s) => ({ epochs: [...s.epochs.filter((e) => e.epoch !== row.epoch), row].sort((a, b) => a.epoch - b.epoch) })),
  setEpochs: (epochs) => set({ epochs }),
  finished: (state, message) => set({ state, message }),
  setModels: (models) => set({ models }),
  setProblem: (problem) => set({ problem }),
  reset: () => set(INITIAL),
}));

const num = (v: Json | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** An epoch row from a train.epoch event's or train.metrics' JSON (core/train's EpochRecord). */
export function epochRow(epoch: number, metrics: Json): EpochRow {
  const m = (metrics !== null && typeof metrics === 'object' && !Array.isArray(metrics) ? metrics : {}) as Record<string, Json>;
  const part = (k: string) => {
    const v = m[k];
    return (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {}) as Record<string, Json>;
  };
  return {
    epoch,
    trainLoss: num(part('train').loss),
    trainAccuracy: num(part('train').accuracy),
    valLoss: num(part('val').loss),
    valAccuracy: num(part('val').accuracy),
    valAuc: num(part('val').auc),
    valN: num(part('val').n),
    trainN: num(part('train').n),
    seconds: num(m.seconds),
    backend: typeof m.backend === 'string' ? m.backend : null,
  };
}

/**
 * True when `runId` is a training run that stopped before its last epoch (models.list reports such runs with
 * config.state 'stopped'): only those can be resumed. Finished runs, imported models, runs training now and
 * unknown ids are not.
 */
export function isStoppedRun(models: readonly ModelSummary[], runId: string | null): boolean {
  if (runId === null) return false;
  const config = models.find((m) => m.id === runId)?.config;
  return config !== null && typeof config === 'object' && !Array.isArray(config) && (config as { state?: Json }).state === 'stopped';
}

/** The config JSON train.start takes from the form (core/train's TrainConfigInput). */
/** Inputs under 32 voxels cannot pass a DenseNet's four poolings: two dense blocks then (as core's tiny tests do). */
export function configFromForm(f: TrainForm): Json {
  return {
    model: f.model,
    epochs: f.epochs,
    batchSize: f.batchSize,
    learningRate: f.learningRate,
    inputSize: f.inputSize,
    valFraction: f.valFraction,
    valInterval: f.valInterval,
    seed: f.seed,
    ...(f.inputSize < 32 ? { modelOverrides: { blockConfig: [2, 2] } } : {}),
  };
}
