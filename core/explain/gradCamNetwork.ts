// The network Grad-CAM differentiates for a resolved model: its description and weights (a training run,
// a safetensors file), or those recognised in an ONNX file (MONAI's torch.onnx.export of its DenseNet, or
// ours), so that `voxlab explain --model M.onnx --method gradcam` and the server's explain.run work without
// the weights as a separate file. Build the tfjs model with tfModelFromState.
//
// Folded BatchNorms. MONAI's export folds each BatchNorm that follows a conv into the conv (W' = W s,
// b' = beta - mean s, s = gamma / sqrt(var + eps)); denseNetFromOnnx gives that BatchNorm back as weight 1,
// bias b', running_mean 0, running_var fround(1 - eps). TfModel's eval BatchNorm (core/model/tfLayers.ts
// batchNorm) computes scale = weight * rsqrt(var + eps), shift = bias - mean * scale, y = x * scale + shift;
// in float32 fround(1 - eps) + eps is exactly 1, so scale = 1, shift = b' and y = x + b': the conv's bias,
// added once, exactly as the file's Conv does. Running var 1 instead would scale every folded layer by
// 1 / sqrt(1 + 1e-5) (a 5e-6 relative error), and a Conv-with-bias node would need a description op and
// state_dict keys MONAI's DenseNet does not have. The description is describeDenseNet's, so layers keep
// MONAI's module names ('class_layers.relu', 'features.denseblock2.denselayer1.layers.relu2', ...).

import { VoxlabError } from '../common/errors.js';
import type { ResolvedModel } from '../infer/resolveModel.js';
import type { StateDict } from '../infer/stateDict.js';
import type { DenseNetConfig, ModelDescription } from '../model/index.js';
import { modelNetwork } from './modelNetwork.js';

export interface GradCamNetwork {
  readonly description: ModelDescription<DenseNetConfig>;
  /** MONAI state_dict names, PyTorch layouts (as tfModelFromState takes them). */
  readonly state: StateDict;
  /** Where the network came from, in words (e.g. "the ONNX file is a MONAI DenseNet (weights read from its initializers, 9 BatchNorms folded into convolutions)"). */
  readonly reason: string;
}

/**
 * The description and weights of `model` for Grad-CAM (`method` only words the error). An ONNX model's graph
 * is read at `model.inputSize` when its spatial dims are symbolic. Throws BAD_ARGUMENT, naming the model
 * and why its graph was not recognised, when `model` is an ONNX file that is not a DenseNet voxlab
 * recognises (occlusion still runs on it).
 */
export function gradCamNetwork(model: ResolvedModel, method = 'gradcam'): GradCamNetwork {
  const { network, reason } = modelNetwork(model);
  if (network === null)
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `${method} needs gradients, so a network voxlab can rebuild in tfjs: a MONAI DenseNet ONNX file voxlab ` +
        `recognises (MONAI's torch.onnx.export or voxlab's own), a .safetensors file or a training run. ` +
        `Model "${model.id}" is not one: ${reason}. Occlusion (--method occlusion) works on any ONNX model.`,
      { model: model.id, method, reason },
    );
  return { ...network, reason };
}
