// core/model: MONAI's DenseNet family in 3D as a framework-free description, its TensorFlow.js model
// (NDHWC activations), and MONAI-compatible weights in safetensors.

export { batchNormReluTraining, type BatchNormReluResult } from './batchNormRelu.js';
export {
  DEFAULT_INPUT_SIZE,
  DENSENET121,
  denseNetConfig,
  describeDenseNet,
  type DenseNetConfig,
} from './densenet.js';
export {
  countParameters,
  fusibleBatchNorms,
  numel,
  segmentsOf,
  stateEntries,
  type InitSpec,
  type ModelDescription,
  type ModelNode,
  type ModelOp,
  type SegmentSpec,
  type StateEntry,
} from './graph.js';
export { BATCH_NORM_EPS, BATCH_NORM_MOMENTUM } from './graphBuilder.js';
export {
  parseSafetensors,
  serializeSafetensors,
  type SafetensorsFile,
  type SafetensorsTensor,
  type TensorToWrite,
} from './safetensors.js';
export { toFloat32, toIntegers } from './tensorValues.js';
export {
  createDenseNet,
  TfModel,
  type CreateModelOptions,
  type ForwardOptions,
  type Segment,
} from './tfModel.js';
export {
  loadStateDict,
  readWeightsFile,
  saveStateDict,
  stateDictTensors,
  writeWeightsFile,
  type LoadWeightsOptions,
  type LoadWeightsReport,
} from './weights.js';
