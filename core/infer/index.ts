// core/infer: models as ONNX (our DenseNets exported from their description, MONAI's imported), run in
// ONNX Runtime behind the Classifier contract; model resolution for `--model`; inference over files and
// studies. The ONNX writer (OnnxGraph) is reusable for sub-models, e.g. pieces for incremental occlusion.

export type { Classifier } from './classifier.js';
export { ProtoWriter, readFields, readPackedVarints, type ProtoField } from './onnx/protobuf.js';
export {
  ONNX_IR_VERSION,
  ONNX_OPSET,
  OnnxGraph,
  type Dim,
  type ToBytesOptions,
  type WindowOptions,
} from './onnx/OnnxGraph.js';
export { readOnnxSummary, type OnnxModelSummary, type OnnxValueSummary } from './onnx/readOnnx.js';
export {
  readOnnxGraph,
  type OnnxAttributeValue,
  type OnnxGraphContents,
  type OnnxGraphNode,
  type OnnxTensorValue,
} from './onnx/readOnnxGraph.js';
export { denseNetFromOnnx, type OnnxDenseNet } from './onnx/denseNetFromOnnx.js';
export {
  BATCH_DIM,
  buildOnnxPart,
  classesFromMetadata,
  exportOnnx,
  exportOnnxPart,
  ONNX_INPUT,
  ONNX_METADATA,
  ONNX_OUTPUT,
  type ExportOnnxOptions,
  type OnnxPartNames,
  type OnnxPartSpec,
} from './exportOnnx.js';
export { initialStateDict, stateDictFromSafetensors, stateValue, type StateDict } from './stateDict.js';
export { denseNetConfigFromWeights } from './denseNetFromWeights.js';
export { listExecutionProviders, loadOrt, ortVersion, type ProviderStatus } from './ort/loadOrt.js';
export { OrtSession, type FloatTensor, type OrtSessionOptions, type OrtValueInfo } from './ort/OrtSession.js';
export {
  openModelClassifier,
  openOrtClassifier,
  OrtClassifier,
  type OpenClassifierOptions,
} from './OrtClassifier.js';
export { ClassifierCache } from './ClassifierCache.js';
export {
  DEFAULT_INFER_SIZE,
  resolveModel,
  type ResolvedModel,
  type ResolveModelOptions,
} from './resolveModel.js';
export { modelInput, PREPROCESS_MODES, type PreprocessMode } from './modelInput.js';
export { inferFiles, type InferOptions, type ScanPrediction } from './inferFiles.js';
export { inferStudy, type ImagePrediction, type InferStudyOptions } from './inferStudy.js';
