// core/explain: why a classifier decided what it did. Occlusion sensitivity (MONAI's parameters, pluggable
// batch engine), Grad-CAM / Grad-CAM++ on tfjs models, and maps resampled onto the original scan as NIfTI.

export { activate } from './activate.js';
export { gradCam, type GradCamOptions, type GradCamResult } from './gradCam.js';
export { mapPeak, PEAK_TIE_TOLERANCE, type MapPeak, type PeakReport } from './mapPeak.js';
export { mapToScan, writeMapOnScan, type InputSpaceMap, type ScanGrid } from './mapToScan.js';
export {
  plainOcclusionEngine,
  readPatch,
  writePatch,
  type Occlusion,
  type OcclusionEngine,
  type OcclusionEngineFactory,
} from './occlusionEngine.js';
export { OCCLUDER_WORDS, occluderFor, occluderWords, SURROUND_SHELL } from './occluders.js';
export { occlusionImportance } from './occlusionImportance.js';
export {
  defaultGradCamLayer,
  DEFAULT_CELL,
  GRAD_CAM_MIN_GRID,
  gradCamLayers,
  resolveGradCamLayer,
  type CamMethod,
  type GradCamLayer,
} from './gradCamLayer.js';
export {
  OCCLUSION_DEFAULTS,
  OCCLUSION_MODES,
  occlusionCost,
  planOcclusion,
  sliceBBox,
  windowStarts,
  type OcclusionActivation,
  type OcclusionMode,
  type OcclusionParams,
  type OcclusionPlan,
  type VoxelBox,
} from './occlusionParams.js';
export {
  argmaxMap,
  cropToBox,
  occlusionSensitivity,
  type OcclusionOptions,
  type OcclusionProgress,
  type OcclusionResult,
} from './occlusionSensitivity.js';
export { gaussianOcclusionFactor, importanceMap } from './occlusionWeights.js';
export { sampleToNdhwc, tfClassifier } from './tfClassifier.js';
export {
  explainScan,
  type ExplainMethod,
  type ExplainScanOptions,
  type ExplainScanReport,
} from './explainScan.js';
