// core/train/engine: what training needs beyond the model: our gradient registrations (plain Node has
// none), the loss, PyTorch's Adam, segment-wise backpropagation, the train/eval step functions, and a
// fused training BatchNorm(+ReLU) with its own gradient for core/model to adopt.

export { Adam, type AdamOptions, type AdamState } from './adam.js';
export {
  disposeStepGradients,
  namedParameters,
  segmentwiseGradients,
  wholeModelGradients,
  type LossFunction,
  type StepGradients,
} from './backprop.js';
export { batchNormReluTraining, type BatchNormReluResult } from './batchNormRelu.js';
export { crossEntropyLoss } from './crossEntropy.js';
export { registerTrainingGradients, TRAINING_GRADIENTS } from './gradients/index.js';
export {
  createTrainStep,
  evaluateBatch,
  type TrainStep,
  type TrainStepOptions,
  type TrainStepResult,
} from './trainStep.js';
