// The ONNX graphs of the incremental engine's crop pieces (see engine.ts for their contract): the stem
// and each dense layer of block 1, unpadded, with a mask input where PyTorch's zero padding would act.
// Weights come from a MONAI state_dict (PyTorch layouts, which ONNX shares: conv [out, in, kd, kh, kw]).

import { VoxlabError } from '../../common/errors.js';
import type { ModelDescription, ModelNode } from '../../model/index.js';
import { OnnxGraph } from '../../infer/onnx/OnnxGraph.js';
import { stateValue, type StateDict } from '../../infer/stateDict.js';
import type { DenseNetBlockLayout } from './geometry.js';

const SPATIAL = ['d', 'h', 'w'] as const;

/** Adds state_dict entry `key` (shape from the description) as a float constant. */
function weight(g: OnnxGraph, description: ModelDescription, state: StateDict, key: string): string {
  const entry = description.nodes.flatMap((n) => n.state).find((e) => e.key === key);
  if (entry === undefined)
    throw new VoxlabError('MODEL_INVALID', `the ${description.family} model has no weight ${key}`);
  return g.floatConstant(key, entry.shape, stateValue(state, key, entry.shape));
}

function eps(description: ModelDescription, name: string): number {
  const n = description.nodes.find((x) => x.name === name);
  if (n === undefined || n.op !== 'batchNorm') throw new VoxlabError('MODEL_INVALID', `no BatchNorm ${name}`);
  return (n as Extract<ModelNode, { op: 'batchNorm' }>).eps;
}

function batchNorm(
  g: OnnxGraph,
  description: ModelDescription,
  state: StateDict,
  x: string,
  name: string,
): string {
  return g.batchNorm(
    x,
    weight(g, description, state, `${name}.weight`),
    weight(g, description, state, `${name}.bias`),
    weight(g, description, state, `${name}.running_mean`),
    weight(g, description, state, `${name}.running_var`),
    eps(description, name),
  );
}

function dims(prefix: string): string[] {
  return ['n', `${prefix}c`, ...SPATIAL.map((a) => `${prefix}${a}`)];
}

/** conv0 -> norm0 -> relu0 -> (x mask) -> pool0, all unpadded: inputs `image`, `mask`; output `y`. */
export function stemPieceGraph(
  description: ModelDescription,
  state: StateDict,
  layout: DenseNetBlockLayout,
): Uint8Array {
  const g = new OnnxGraph('voxlab-stem-crop');
  const image = g.input('image', dims('in'));
  const mask = g.input('mask', ['n', 1, 'cd', 'ch', 'cw']);
  const k0 = layout.conv0.kernel;
  let x = g.conv(image, weight(g, description, state, 'features.conv0.weight'), {
    kernel: [k0, k0, k0],
    strides: Array(3).fill(layout.conv0.stride),
  });
  x = g.relu(batchNorm(g, description, state, x, 'features.norm0'));
  x = g.mul(x, mask);
  const kp = layout.pool0.kernel;
  g.maxPool(x, { kernel: [kp, kp, kp], strides: Array(3).fill(layout.pool0.stride) }, 'y');
  g.output('y', null);
  return g.toBytes({ docString: 'voxlab incremental occlusion: stem on a crop' });
}

/** One dense layer on a crop: norm1, relu1, conv1, norm2, relu2, (x mask), conv2 unpadded: inputs `x`, `mask`; output `y`. */
export function layerPieceGraph(description: ModelDescription, state: StateDict, layer: string): Uint8Array {
  const g = new OnnxGraph('voxlab-dense-layer-crop');
  const input = g.input('x', dims('in'));
  const mask = g.input('mask', ['n', 1, 'ind', 'inh', 'inw']);
  let x = g.relu(batchNorm(g, description, state, input, `${layer}.layers.norm1`));
  x = g.conv(x, weight(g, description, state, `${layer}.layers.conv1.weight`), { kernel: [1, 1, 1] });
  x = g.relu(batchNorm(g, description, state, x, `${layer}.layers.norm2`));
  x = g.mul(x, mask);
  const conv2 = description.nodes.find((n) => n.name === `${layer}.layers.conv2`);
  if (conv2 === undefined || conv2.op !== 'conv')
    throw new VoxlabError('MODEL_INVALID', `no conv ${layer}.layers.conv2`);
  const k = conv2.kernel;
  g.conv(x, weight(g, description, state, `${layer}.layers.conv2.weight`), { kernel: [k, k, k] }, 'y');
  g.output('y', null);
  return g.toBytes({ docString: `voxlab incremental occlusion: ${layer} on a crop` });
}
