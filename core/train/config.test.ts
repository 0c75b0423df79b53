import { describe, expect, it } from 'vitest';
import { TRAIN_DEFAULTS, denseNetKnobs, resolveTrainConfig } from './config.js';

describe('resolveTrainConfig', () => {
  it("defaults to the IXI tutorial's recipe", () => {
    const c = resolveTrainConfig();
    expect(c).toEqual(TRAIN_DEFAULTS);
    expect([c.epochs, c.batchSize, c.valInterval, c.inputSize, c.model]).toEqual([
      5,
      2,
      2,
      96,
      'densenet121',
    ]);
    expect(c.augment).toEqual({ rotate90: { prob: 0.1, maxK: 3, spatialAxes: [0, 1] }, flip: null });
    expect(denseNetKnobs(c, 2)).toMatchObject({
      initFeatures: 64,
      growthRate: 32,
      blockConfig: [6, 12, 24, 16],
      inChannels: 1,
      outChannels: 2,
    });
  });

  it('merges augmentation fields, turns one off with null and fills a flip with MONAI defaults', () => {
    const c = resolveTrainConfig({ augment: { rotate90: { prob: 0.5 }, flip: { spatialAxis: [0] } } });
    expect(c.augment.rotate90).toEqual({ prob: 0.5, maxK: 3, spatialAxes: [0, 1] });
    expect(c.augment.flip).toEqual({ prob: 0.1, spatialAxis: [0] });
    expect(resolveTrainConfig({ augment: { rotate90: null } }).augment).toEqual({
      rotate90: null,
      flip: null,
    });
  });

  it('ignores undefined fields (as CLI options arrive)', () => {
    expect(resolveTrainConfig({ epochs: undefined, learningRate: 1e-3 })).toMatchObject({
      epochs: 5,
      learningRate: 1e-3,
    });
  });

  it.each([
    [{ epochs: 0 }, 'epochs must be a whole number of at least 1, got 0'],
    [{ batchSize: 1.5 }, 'batchSize must be a whole number of at least 1, got 1.5'],
    [{ learningRate: 0 }, 'learningRate must be a number in (0, 1), got 0'],
    [{ valFraction: 1 }, 'valFraction must be a number in (0, 1), got 1'],
    [{ inputSize: 4 }, 'inputSize must be a whole number of at least 8, got 4'],
    [{ betas: [0.9, 1] as const }, 'betas[1] must be a number in [0, 1), got 1'],
    [{ model: 'resnet' as 'tiny' }, 'model must be one of densenet121, small, tiny, got "resnet"'],
    [{ augment: { rotate90: { spatialAxes: [1, 1] as const } } }, 'spatialAxes must be two different axes'],
    [{ augment: { flip: { prob: 2 } } }, 'augment.flip.prob must be in [0, 1], got 2'],
    [{ inputSize: 16 }, 'model densenet121 does not fit inputSize 16'],
    [{ epoch: 3 } as object, 'unknown setting(s) epoch'],
    [{ model: 'tiny' as const, inputSize: 24 }, 'model tiny does not fit inputSize 24'],
  ])('rejects %j', (input, message) => {
    expect(() => resolveTrainConfig(input)).toThrow(
      expect.objectContaining({ code: 'TRAIN_CONFIG_INVALID', message: expect.stringContaining(message) }),
    );
  });

  it('accepts a small DenseNet for small inputs through modelOverrides', () => {
    const c = resolveTrainConfig({ model: 'tiny', inputSize: 16, modelOverrides: { blockConfig: [2, 2] } });
    expect(denseNetKnobs(c, 3)).toMatchObject({
      initFeatures: 8,
      growthRate: 4,
      bnSize: 2,
      blockConfig: [2, 2],
      outChannels: 3,
    });
  });
});
