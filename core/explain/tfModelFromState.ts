// A tfjs model holding given weights: what Grad-CAM needs (gradients) when the model was resolved as
// ONNX bytes plus our description and state_dict (core/infer/resolveModel.ts).

import type { StateDict } from '../infer/stateDict.js';
import { TfModel, type ModelDescription } from '../model/index.js';

/**
 * A TfModel of `description` with every float entry of `state` (MONAI names, PyTorch layouts) written in.
 * The active tfjs backend must be ready. Throws WEIGHTS_MISMATCH (through TfModel) for unknown keys.
 */
export function tfModelFromState(description: ModelDescription, state: StateDict): TfModel {
  const model = new TfModel(description);
  for (const [key, values] of state) model.writeTorch(key, values);
  return model;
}
