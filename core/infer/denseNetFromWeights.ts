// Which MONAI DenseNet a state_dict belongs to, read off its keys and shapes, so a bare .safetensors file
// can be used without naming its architecture, and a named one can be checked against it.

import { VoxlabError } from '../common/errors.js';
import { DENSENET121, type DenseNetConfig, type SafetensorsFile } from '../model/index.js';

/**
 * The DenseNet arguments the weights were saved from: channels and classes from the first conv and the
 * classifier, growth rate and bottleneck from the first dense layer, layers per block from the keys.
 * Dropout is not stored in weights and comes back 0 (it does nothing at inference). Throws
 * WEIGHTS_INVALID when the keys are not MONAI DenseNet's.
 */
export function denseNetConfigFromWeights(file: SafetensorsFile): DenseNetConfig {
  const shape = (key: string): readonly number[] => {
    const t = file.tensors.get(key);
    if (t === undefined)
      throw new VoxlabError(
        'WEIGHTS_INVALID',
        `The weights are not a MONAI DenseNet state_dict (no ${key}); name the architecture (--arch)`,
        { key },
      );
    return t.shape;
  };
  const [initFeatures, inChannels] = shape('features.conv0.weight');
  const growthRate = shape('features.denseblock1.denselayer1.layers.conv2.weight')[0]!;
  const bottleneck = shape('features.denseblock1.denselayer1.layers.conv1.weight')[0]!;
  const [outChannels] = shape('class_layers.out.weight');
  const layers = new Map<number, number>();
  for (const key of file.tensors.keys()) {
    const m = /^features\.denseblock(\d+)\.denselayer(\d+)\./.exec(key);
    if (m !== null) layers.set(Number(m[1]), Math.max(layers.get(Number(m[1])) ?? 0, Number(m[2])));
  }
  const blockConfig = Array.from({ length: layers.size }, (_, i) => layers.get(i + 1) ?? 0);
  if (blockConfig.some((n) => n === 0) || growthRate === 0 || bottleneck % growthRate !== 0)
    throw new VoxlabError(
      'WEIGHTS_INVALID',
      'The weights are not a MONAI DenseNet state_dict (its dense blocks are not numbered 1..n); name the architecture (--arch)',
    );
  return {
    ...DENSENET121,
    inChannels: inChannels!,
    outChannels: outChannels!,
    initFeatures: initFeatures!,
    growthRate,
    bnSize: bottleneck / growthRate,
    blockConfig,
  };
}
