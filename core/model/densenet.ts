// MONAI's DenseNet family (Huang et al., "Densely Connected Convolutional Networks", arXiv:1608.06993) in
// 3D, as a framework-free ModelDescription whose node names and state_dict keys are MONAI's. Follows
// monai/networks/nets/densenet.py (DenseNet, _DenseBlock, _DenseLayer, _Transition) module by module.

import { VoxlabError } from '../common/errors.js';
import type { ModelDescription } from './graph.js';
import { GraphBuilder } from './graphBuilder.js';

/** MONAI's DenseNet arguments (spatial_dims is always 3 here); names in camelCase. */
export interface DenseNetConfig {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly initFeatures: number;
  readonly growthRate: number;
  readonly blockConfig: readonly number[];
  readonly bnSize: number;
  readonly dropoutProb: number;
}

/** DenseNet121 (MONAI's `DenseNet121(spatial_dims=3, in_channels=1, out_channels=2)`, the IXI tutorial model). */
export const DENSENET121: DenseNetConfig = {
  inChannels: 1,
  outChannels: 2,
  initFeatures: 64,
  growthRate: 32,
  blockConfig: [6, 12, 24, 16],
  bnSize: 4,
  dropoutProb: 0,
};

/** The IXI tutorial's input size: volumes resized to 96^3. */
export const DEFAULT_INPUT_SIZE: readonly [number, number, number] = [96, 96, 96];

/** DenseNet121's defaults overridden by `overrides`, checked; throws MODEL_INVALID naming a bad field. */
export function denseNetConfig(overrides: Partial<DenseNetConfig> = {}): DenseNetConfig {
  const config = { ...DENSENET121, ...overrides };
  const positive = ['inChannels', 'outChannels', 'initFeatures', 'growthRate', 'bnSize'] as const;
  for (const field of positive) {
    const v = config[field];
    if (!Number.isInteger(v) || v < 1) throw invalid(`${field} must be a positive integer, got ${v}`);
  }
  const blocks = config.blockConfig;
  if (blocks.length < 1 || !blocks.every((b) => Number.isInteger(b) && b >= 1)) {
    throw invalid(`blockConfig must be a non-empty list of positive integers, got [${blocks.join(', ')}]`);
  }
  if (!(config.dropoutProb >= 0 && config.dropoutProb < 1))
    throw invalid(`dropoutProb must be in [0, 1), got ${config.dropoutProb}`);
  return { ...config, blockConfig: [...blocks] };
}

/**
 * The network for `config` on inputs of `inputSize` voxels [depth, height, width] (= the volume's i, j, k).
 * Node output shapes are per sample and channels first ([C, D, H, W], as PyTorch's NCDHW without N).
 * Throws MODEL_INVALID when the config is impossible or the input too small for the poolings.
 */
export function describeDenseNet(
  overrides: Partial<DenseNetConfig> = {},
  inputSize: readonly number[] = DEFAULT_INPUT_SIZE,
): ModelDescription<DenseNetConfig> {
  const config = denseNetConfig(overrides);
  if (inputSize.length !== 3 || !inputSize.every((n) => Number.isInteger(n) && n >= 1)) {
    throw invalid(
      `inputSize must be three positive integers [depth, height, width], got [${inputSize.join(', ')}]`,
    );
  }
  const g = new GraphBuilder([config.inChannels, ...inputSize]);
  g.startSegment('stem');
  g.conv('features.conv0', config.initFeatures, 7, 2, 3);
  g.batchNorm('features.norm0');
  g.relu('features.relu0');
  g.maxPool('features.pool0', 3, 2, 1);
  config.blockConfig.forEach((layers, i) => {
    for (let l = 1; l <= layers; l++) denseLayer(g, `features.denseblock${i + 1}.denselayer${l}`, config);
    if (i < config.blockConfig.length - 1) transition(g, `features.transition${i + 1}`);
  });
  g.startSegment('head');
  g.batchNorm('features.norm5');
  g.relu('class_layers.relu');
  g.globalAvgPool('class_layers.pool');
  g.flatten('class_layers.flatten');
  g.linear('class_layers.out', config.outChannels);
  return g.build('DenseNet', config);
}

/** MONAI's _DenseLayer: BN, ReLU, 1^3 conv to bn_size*growth, BN, ReLU, 3^3 conv (pad 1) to growth, [dropout], cat. */
function denseLayer(g: GraphBuilder, name: string, config: DenseNetConfig): void {
  g.startSegment(name);
  const input = g.current.name;
  g.batchNorm(`${name}.layers.norm1`);
  g.relu(`${name}.layers.relu1`);
  g.conv(`${name}.layers.conv1`, config.bnSize * config.growthRate, 1);
  g.batchNorm(`${name}.layers.norm2`);
  g.relu(`${name}.layers.relu2`);
  g.conv(`${name}.layers.conv2`, config.growthRate, 3, 1, 1);
  if (config.dropoutProb > 0) g.dropout(`${name}.layers.dropout`, config.dropoutProb);
  g.concat(`${name}.cat`, input, g.current.name);
}

/** MONAI's _Transition: BN, ReLU, 1^3 conv halving the channels (floor), AvgPool 2 stride 2. */
function transition(g: GraphBuilder, name: string): void {
  g.startSegment(name);
  g.batchNorm(`${name}.norm`);
  g.relu(`${name}.relu`);
  g.conv(`${name}.conv`, Math.floor(g.current.shape[0]! / 2), 1);
  g.avgPool(`${name}.pool`, 2, 2);
}

function invalid(message: string): VoxlabError {
  return new VoxlabError('MODEL_INVALID', `DenseNet: ${message}`);
}
