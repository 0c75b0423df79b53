// core/train/engine: what training needs beyond the model: our gradient registrations (plain Node has
// none), the loss, PyTorch's Adam, segment-wise backpropagation and the train/eval step functions.
// (The fused training BatchNorm(+ReLU) now lives in core/model; re-exported here for older callers.)

export { batchNormReluTraining, type BatchNormReluResult } from '../../model/index.js';

export { Adam, type AdamOptions, type AdamState } from './adam.js';
export {
  disposeStepGradients,
  namedParameters,
  segmentwiseGradients,
  wholeModelGradients,
  type LossFunction,
  type SegmentwiseOptions,
  type StepGradients,
} from './backprop.js';
export { crossEntropyLoss } from './crossEntropy.js';
export { registerTrainingGradients, TRAINING_GRADIENTS } from './gradients/index.js';
export {
  createTrainStep,
  DEFAULT_MEMORY_BUDGET_MB,
  evaluateBatch,
  predictBatch,
  type TrainStep,
  type TrainStepOptions,
  type TrainStepResult,
} from './trainStep.js';
