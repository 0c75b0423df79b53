// Training settings: the IXI tutorial's recipe as defaults (MONAI densenet_training_array), every knob
// overridable, and the checks that run before any data is touched.

import { VoxlabError, isVoxlabError } from '../common/errors.js';
import { DENSENET121, describeDenseNet, type DenseNetConfig } from '../model/index.js';

/** DenseNet knobs a config may set (MONAI's DenseNet arguments, camelCase). */
export type DenseNetConfigKnobs = Partial<DenseNetConfig>;

/** RandRotate90 settings (MONAI defaults: prob 0.1, maxK 3, spatialAxes [0, 1] = the volume's i, j axes). */
export interface Rotate90Config {
  readonly prob: number;
  readonly maxK: number;
  readonly spatialAxes: readonly [number, number];
}

/** RandFlip settings (MONAI defaults: prob 0.1, every spatial axis when spatialAxis is null). */
export interface FlipConfig {
  readonly prob: number;
  readonly spatialAxis: readonly number[] | null;
}

/** Training-time augmentations, applied in this order to each [1, D, H, W] input; null = off. */
export interface AugmentConfig {
  readonly rotate90: Rotate90Config | null;
  readonly flip: FlipConfig | null;
}

/**
 * Model families: MONAI's DenseNet121; 'small', a DenseNet a laptop CPU trains in minutes at 64³ (about
 * 0.2 M parameters; used for the IXI cross-validation in issue #3's note); or the tiny DenseNet of
 * shared/reference/monai (11,146 parameters).
 */
export const MODEL_PRESETS = {
  densenet121: {},
  small: { initFeatures: 16, growthRate: 8, blockConfig: [2, 4, 6, 4], bnSize: 4 },
  tiny: { initFeatures: 8, growthRate: 4, blockConfig: [2, 2, 2, 2], bnSize: 2 },
} as const satisfies Record<string, DenseNetConfigKnobs>;
export type ModelPreset = keyof typeof MODEL_PRESETS;

/**
 * Everything that decides a training result. Plain JSON, stored with the model. Runtime knobs that do not
 * change the result (worker threads, cache size) are TrainOptions instead.
 */
export interface TrainConfig {
  /** Passes over the training split (tutorial: 5). */
  readonly epochs: number;
  /** Volumes per step (tutorial: 2). The last step of an epoch may be smaller (PyTorch drop_last=False). */
  readonly batchSize: number;
  /**
   * Adam step size. 1e-4 as in the tutorial's notebook: its script uses 1e-5, which in 5 epochs of batch 2
   * barely moves a DenseNet121 trained from scratch (see the note in MONAI.md).
   */
  readonly learningRate: number;
  /** Adam (beta1, beta2); PyTorch defaults (0.9, 0.999). */
  readonly betas: readonly [number, number];
  /** Adam epsilon; PyTorch default 1e-8. */
  readonly eps: number;
  /** L2 penalty added to the gradient as torch.optim.Adam does (not AdamW); default 0. */
  readonly weightDecay: number;
  /** Validate after every `valInterval` epochs (tutorial: 2), and always after the last epoch. */
  readonly valInterval: number;
  /** Fraction of each class held out for validation, in (0, 1) (default 0.2). */
  readonly valFraction: number;
  /** Edge of the cubic network input in voxels: volumes are resized to inputSize^3 (tutorial: 96). */
  readonly inputSize: number;
  readonly model: ModelPreset;
  /** DenseNet knobs over the preset (e.g. { blockConfig: [2, 2] } for tiny inputs); channels come from the data. */
  readonly modelOverrides: DenseNetConfigKnobs;
  readonly augment: AugmentConfig;
  /** Seeds the split, the initial weights, the shuffling and the augmentations. */
  readonly seed: number;
}

/** MONAI's RandFlip defaults, used when a flip is asked for without every field. */
const MONAI_FLIP: FlipConfig = { prob: 0.1, spatialAxis: null };

/** The tutorial's recipe (see each field); the tutorial has no flip. */
export const TRAIN_DEFAULTS: TrainConfig = {
  epochs: 5,
  batchSize: 2,
  learningRate: 1e-4,
  betas: [0.9, 0.999],
  eps: 1e-8,
  weightDecay: 0,
  valInterval: 2,
  valFraction: 0.2,
  inputSize: 96,
  model: 'densenet121',
  modelOverrides: {},
  augment: { rotate90: { prob: 0.1, maxK: 3, spatialAxes: [0, 1] }, flip: null },
  seed: 0,
};

/** A partial config as callers give it; augment parts are merged field by field. */
export type TrainConfigInput = Partial<Omit<TrainConfig, 'augment'>> & {
  readonly augment?: {
    readonly rotate90?: Partial<Rotate90Config> | null;
    readonly flip?: Partial<FlipConfig> | null;
  };
};

/** The defaults overridden by `input`, checked. Throws TRAIN_CONFIG_INVALID naming the bad field and value. */
export function resolveTrainConfig(input: TrainConfigInput = {}): TrainConfig {
  const { augment, ...rest } = input;
  const config: TrainConfig = {
    ...TRAIN_DEFAULTS,
    ...dropUndefined(rest),
    augment: {
      rotate90: mergeAugment(TRAIN_DEFAULTS.augment.rotate90, augment?.rotate90),
      flip: mergeAugment(TRAIN_DEFAULTS.augment.flip, augment?.flip, MONAI_FLIP),
    },
  };
  checkTrainConfig(config);
  return config;
}

/** undefined keeps the default, null turns the augmentation off, fields override the default (or MONAI's). */
function mergeAugment<T extends object>(
  defaults: T | null,
  given: Partial<T> | null | undefined,
  monai?: T,
): T | null {
  if (given === undefined) return defaults;
  if (given === null) return null;
  return { ...(defaults ?? monai), ...dropUndefined(given) } as T;
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const invalid = (message: string, field: string, value: unknown): VoxlabError =>
  new VoxlabError('TRAIN_CONFIG_INVALID', `Training config: ${message}`, { field, value });

function integerAtLeast(field: keyof TrainConfig, value: unknown, min: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
    throw invalid(`${field} must be a whole number of at least ${min}, got ${String(value)}`, field, value);
}

function inOpenRange(field: string, value: unknown, lo: number, hi: number): void {
  if (typeof value !== 'number' || !(value > lo && value < hi))
    throw invalid(`${field} must be a number in (${lo}, ${hi}), got ${String(value)}`, field, value);
}

/** Checks every field of a full config (also one read back from a checkpoint). Throws TRAIN_CONFIG_INVALID. */
export function checkTrainConfig(c: TrainConfig): void {
  const unknown = Object.keys(c).filter((k) => !Object.hasOwn(TRAIN_DEFAULTS, k));
  if (unknown.length > 0) throw invalid(`unknown setting(s) ${unknown.join(', ')}`, unknown[0]!, undefined);
  integerAtLeast('epochs', c.epochs, 1);
  integerAtLeast('batchSize', c.batchSize, 1);
  integerAtLeast('valInterval', c.valInterval, 1);
  integerAtLeast('inputSize', c.inputSize, 8);
  if (!Number.isSafeInteger(c.seed))
    throw invalid(`seed must be a safe integer, got ${String(c.seed)}`, 'seed', c.seed);
  inOpenRange('learningRate', c.learningRate, 0, 1);
  inOpenRange('valFraction', c.valFraction, 0, 1);
  inOpenRange('eps', c.eps, 0, 1);
  if (!Array.isArray(c.betas) || c.betas.length !== 2)
    throw invalid('betas must be two numbers', 'betas', c.betas);
  c.betas.forEach((b, i) => {
    if (typeof b !== 'number' || !(b >= 0 && b < 1))
      throw invalid(`betas[${i}] must be a number in [0, 1), got ${String(b)}`, 'betas', c.betas);
  });
  if (typeof c.weightDecay !== 'number' || !(c.weightDecay >= 0))
    throw invalid(
      `weightDecay must be a number >= 0, got ${String(c.weightDecay)}`,
      'weightDecay',
      c.weightDecay,
    );
  if (!Object.hasOwn(MODEL_PRESETS, c.model))
    throw invalid(
      `model must be one of ${Object.keys(MODEL_PRESETS).join(', ')}, got ${JSON.stringify(c.model)}`,
      'model',
      c.model,
    );
  checkAugment(c.augment);
  // The network must fit the input: describing it checks every pooling (2 classes stand in for the data's).
  try {
    describeDenseNet(denseNetKnobs(c, 2), [c.inputSize, c.inputSize, c.inputSize]);
  } catch (e) {
    if (isVoxlabError(e) && e.code === 'MODEL_INVALID')
      throw invalid(
        `model ${c.model} does not fit inputSize ${c.inputSize}: ${e.message}`,
        'modelOverrides',
        c.modelOverrides,
      );
    throw e;
  }
}

function checkAugment(a: AugmentConfig): void {
  if (a.rotate90 !== null) {
    const { prob, maxK, spatialAxes } = a.rotate90;
    if (!(prob >= 0 && prob <= 1))
      throw invalid(`augment.rotate90.prob must be in [0, 1], got ${prob}`, 'augment.rotate90.prob', prob);
    if (!Number.isInteger(maxK) || maxK < 1)
      throw invalid(
        `augment.rotate90.maxK must be a whole number >= 1, got ${maxK}`,
        'augment.rotate90.maxK',
        maxK,
      );
    const okAxes =
      spatialAxes.length === 2 &&
      spatialAxes.every((x) => x === 0 || x === 1 || x === 2) &&
      spatialAxes[0] !== spatialAxes[1];
    if (!okAxes)
      throw invalid(
        `augment.rotate90.spatialAxes must be two different axes of 0, 1, 2, got [${spatialAxes.join(', ')}]`,
        'augment.rotate90.spatialAxes',
        spatialAxes,
      );
  }
  if (a.flip !== null) {
    const { prob, spatialAxis } = a.flip;
    if (!(prob >= 0 && prob <= 1))
      throw invalid(`augment.flip.prob must be in [0, 1], got ${prob}`, 'augment.flip.prob', prob);
    if (spatialAxis !== null && !spatialAxis.every((x) => x === 0 || x === 1 || x === 2))
      throw invalid(
        `augment.flip.spatialAxis must list axes 0, 1, 2 or be null, got [${spatialAxis.join(', ')}]`,
        'augment.flip.spatialAxis',
        spatialAxis,
      );
  }
}

/** The DenseNet config to build: preset, then overrides, then 1 input channel and `classes` outputs. */
export function denseNetKnobs(
  c: TrainConfig,
  classes: number,
): DenseNetConfigKnobs & { inChannels: number; outChannels: number } {
  return {
    ...DENSENET121,
    ...MODEL_PRESETS[c.model],
    ...c.modelOverrides,
    inChannels: 1,
    outChannels: classes,
  };
}
