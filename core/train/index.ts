// core/train: training and evaluating the 3D classifier on a study's labels (MONAI's IXI tutorial recipe),
// with stratified splits, per-epoch metrics, best/last checkpoints, exact resume and cancel.

export {
  MODEL_PRESETS,
  TRAIN_DEFAULTS,
  checkTrainConfig,
  denseNetKnobs,
  resolveTrainConfig,
  type AugmentConfig,
  type DenseNetConfigKnobs,
  type FlipConfig,
  type ModelPreset,
  type Rotate90Config,
  type TrainConfig,
  type TrainConfigInput,
} from './config.js';
export { stratifiedKFold, stratifiedSplit, type Split } from './split.js';
export {
  argmaxRows,
  classificationMetrics,
  confusionMatrix,
  crossEntropy,
  rocAuc,
  rocCurve,
  softmaxRows,
  type ClassificationMetrics,
} from './metrics.js';
export { checkScans, labeledImages, type LabeledImage, type TrainingData } from './dataset.js';
export { VolumeCache, type CacheStats } from './volumeCache.js';
export { augmentVolume, epochOrder, packBatch, streamSeed } from './batches.js';
export { peakRssMb, type TrainProgress } from './progress.js';
export {
  MODELS_FOLDER,
  readCheckpoint,
  readManifest,
  runFolder,
  type CheckpointState,
  type EpochRecord,
  type RunManifest,
} from './checkpoint.js';
export { type DataOptions } from './runSetup.js';
export { type RunOptions, type TrainResult } from './trainRun.js';
export {
  crossValidate,
  resumeTraining,
  train,
  type CrossValidationResult,
  type FoldSummary,
  type TrainOptions,
} from './train.js';
export { evaluate, type EvaluateOptions, type EvaluationResult, type ImageScore } from './evaluate.js';
