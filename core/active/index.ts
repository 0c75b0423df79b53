// core/active: which unlabeled image to label next (active learning): prediction entropy, test-time-
// augmentation disagreement, and the random / first / entropy / tta strategies over a study.

export { predictionEntropy, softmax } from './entropy.js';
export { loadSeedInput } from './loadSeedInput.js';
export {
  nextImage,
  STRATEGIES,
  type ActiveStudy,
  type NextImageOptions,
  type NextImageResult,
  type RankedImage,
  type Strategy,
} from './nextImage.js';
export {
  defaultAugmentations,
  scoreViews,
  ttaDisagreement,
  type Augmentation,
  type TtaScore,
} from './ttaDisagreement.js';
