// The bundle configs carry every setting of the plan: transforms per augmentation, DenseNet arguments,
// Adam's settings, and the torchrun overrides.

import { describe, expect, it } from 'vitest';
import { denseNetConfig } from '../model/index.js';
import { denseNetKnobs, resolveTrainConfig, type TrainConfigInput } from '../train/config.js';
import { inferenceConfig, multiGpuTrainConfig, preprocessing, trainConfig } from './exportConfigs.js';
import type { BundlePlan } from './exportPlan.js';

function plan(input: TrainConfigInput): BundlePlan {
  const config = resolveTrainConfig(input);
  return {
    config,
    classes: ['F', 'M', 'X'],
    network: denseNetConfig(denseNetKnobs(config, 3)),
    train: [],
    val: [],
    runId: null,
  };
}

const targets = (c: Record<string, unknown>) =>
  (c.transforms as { _target_: string }[]).map((t) => t._target_);

describe('bundle configs', () => {
  it.each([
    ['defaults', {}, ['RandRotate90d']],
    ['no augmentation', { augment: { rotate90: null } }, []],
    ['rotate and flip', { augment: { flip: { prob: 0.3 } } }, ['RandRotate90d', 'RandFlipd']],
  ] as const)(
    '%s: the seed transforms, then the configured random ones for training only',
    (_, input, random) => {
      const p = plan({ ...input, model: 'tiny', inputSize: 32 });
      const seed = ['LoadImaged', 'EnsureChannelFirstd', 'ScaleIntensityd', 'Resized'];
      expect(targets(preprocessing(p, true))).toEqual([...seed, ...random, 'EnsureTyped']);
      expect(targets(preprocessing(p, false))).toEqual([...seed, 'EnsureTyped']);
      const resize = (preprocessing(p, false).transforms as Record<string, unknown>[])[3]!;
      expect(resize).toMatchObject({ spatial_size: [32, 32, 32], mode: 'area' });
    },
  );

  it('passes the preset, the optimizer settings and the schedule to train.json', () => {
    const p = plan({
      model: 'small',
      inputSize: 64,
      learningRate: 3e-4,
      weightDecay: 1e-5,
      epochs: 7,
      batchSize: 3,
      valInterval: 2,
      seed: 11,
      augment: { rotate90: { prob: 0.2, maxK: 1, spatialAxes: [1, 2] } },
    });
    const t = trainConfig(p);
    expect(t.network_def).toEqual({
      _target_: 'DenseNet',
      spatial_dims: 3,
      in_channels: 1,
      out_channels: 3,
      init_features: 16,
      growth_rate: 8,
      block_config: [2, 4, 6, 4],
      bn_size: 4,
      dropout_prob: 0,
    });
    expect(t.optimizer).toMatchObject({
      lr: '@learning_rate',
      betas: [0.9, 0.999],
      eps: 1e-8,
      weight_decay: 1e-5,
    });
    expect(t).toMatchObject({ learning_rate: 3e-4, epochs: 7, batch_size: 3, val_interval: 2, seed: 11 });
    expect(t.classes).toEqual(['F', 'M', 'X']);
    const train = t.train as { preprocessing: { transforms: Record<string, unknown>[] } };
    expect(train.preprocessing.transforms[4]).toMatchObject({ prob: 0.2, max_k: 1, spatial_axes: [1, 2] });
    expect(inferenceConfig(p).network_def).toEqual(t.network_def);
  });

  it('wraps the network in DistributedDataParallel with NCCL on GPUs and gloo on CPUs under torchrun', () => {
    const m = multiGpuTrainConfig();
    expect(m.network).toContain('DistributedDataParallel(');
    expect((m.initialize as string[]).join('\n')).toMatch(
      /backend='nccl' if torch\.cuda\.is_available\(\) else 'gloo'/,
    );
    expect(m.finalize).toEqual(['$dist.is_initialized() and dist.destroy_process_group()']);
  });
});
