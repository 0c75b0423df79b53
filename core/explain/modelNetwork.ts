// The network description and weights behind a resolved model, for explanations that need more than the
// ONNX session (the incremental occlusion engine, Grad-CAM's tfjs model): given directly for training runs
// and safetensors files, else recognised in an ONNX file's graph and initializers (denseNetFromOnnx).

import { denseNetFromOnnx } from '../infer/onnx/denseNetFromOnnx.js';
import type { ResolvedModel } from '../infer/resolveModel.js';

export interface ModelNetwork {
  /** Our description and MONAI-named weights (PyTorch layouts), or null when the ONNX graph is not recognised. */
  readonly network: ResolvedModel['network'];
  /** Where the network came from, or why there is none, in words for the user. */
  readonly reason: string;
}

/**
 * The description and weights of `model`. An ONNX model's graph is read (at `model.inputSize` when its
 * spatial dims are symbolic); a MONAI DenseNet in it (MONAI's torch.onnx.export or ours) comes back with
 * its weights, where a BatchNorm folded into the conv before it is an identity BatchNorm carrying the conv's
 * bias (see denseNetFromOnnx). Never throws for a graph it does not recognise: `network` is null and
 * `reason` says why.
 */
export function modelNetwork(model: ResolvedModel): ModelNetwork {
  if (model.network !== null)
    return {
      network: model.network,
      reason: `a ${model.network.description.family} given by its weights (${model.kind})`,
    };
  const onnx = denseNetFromOnnx(model.onnx, model.inputSize);
  if (!onnx.found) return { network: null, reason: `the ONNX graph is not a MONAI DenseNet: ${onnx.reason}` };
  const folded =
    onnx.foldedBatchNorms > 0 ? `, ${onnx.foldedBatchNorms} BatchNorms folded into convolutions` : '';
  return {
    network: { description: onnx.description, state: onnx.state },
    reason: `the ONNX file is a MONAI DenseNet (weights read from its initializers${folded})`,
  };
}
