// core/explain/sanity: saliency sanity checks (Adebayo et al., "Sanity Checks for Saliency Maps", NeurIPS
// 2018; issue #16): does a map change when the model's weights are randomized, layer by layer from the top,
// or when the model is trained on shuffled labels? Rank correlation and SSIM per step, and a verdict stored
// with the map.

export { cascadingRandomization, randomizedState, type CascadeOptions, type CascadeStep } from './cascade.js';
export { checkMap, retrainable, type CheckMapInput } from './checkMap.js';
export { compareMaps, type MapComparison } from './compareMaps.js';
export { cascadeGroups, type LayerGroup } from './layerGroups.js';
export { networkMaps, type NetworkMaps, type SanityMapSettings } from './networkMaps.js';
export { ranks, spearman } from './rankCorrelation.js';
export {
  parseSanityKind,
  SANITY_KINDS,
  sanityCheck,
  sanityTable,
  type SanityCheckInput,
  type SanityKind,
  type SanityReport,
} from './sanityCheck.js';
export { shuffledLabels, trainOnShuffledLabels, type ShuffledModel } from './shuffledLabels.js';
export { SSIM_WINDOW, ssim, unitScaled } from './ssim.js';
export { SANITY_THRESHOLD, sanityVerdict, type SanityOutcome, type SanityVerdict } from './verdict.js';
