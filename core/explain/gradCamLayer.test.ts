import { describe, expect, it } from 'vitest';
import { describeDenseNet } from '../model/densenet.js';
import { MODEL_PRESETS } from '../train/config.js';
import { defaultGradCamLayer, gradCamLayers, resolveGradCamLayer } from './gradCamLayer.js';

describe('gradCamLayer', () => {
  // Issue #16: at 64^3 class_layers.relu of these nets is 2x2x2; the default must resolve position: cells of
  // at most 8 input voxels (Grad-CAM, Grad-CAM++) or 4 (LayerCAM), and at least 4 per axis.
  it.each([
    ['small', 64, 'gradcam', 'features.transition2.relu', [8, 8, 8], MODEL_PRESETS.small],
    ['small', 64, 'gradcam++', 'features.transition2.relu', [8, 8, 8], MODEL_PRESETS.small],
    ['small', 64, 'layercam', 'features.transition1.relu', [16, 16, 16], MODEL_PRESETS.small],
    ['tiny', 64, 'gradcam', 'features.transition2.relu', [8, 8, 8], MODEL_PRESETS.tiny],
    ['densenet121', 96, 'gradcam', 'features.transition2.relu', [12, 12, 12], MODEL_PRESETS.densenet121],
    ['densenet121', 96, 'layercam', 'features.transition1.relu', [24, 24, 24], MODEL_PRESETS.densenet121],
    ['small', 128, 'gradcam', 'features.transition2.relu', [16, 16, 16], MODEL_PRESETS.small],
    [
      'test net [1, 1]',
      16,
      'gradcam',
      'features.transition1.relu',
      [4, 4, 4],
      { initFeatures: 4, growthRate: 2, blockConfig: [1, 1], bnSize: 2 },
    ],
  ] as const)(
    '%s at %i^3, %s: default %s, grid %j, finer than class_layers.relu',
    (_name, size, method, layer, grid, config) => {
      const description = describeDenseNet(config, [size, size, size]);
      const chosen = defaultGradCamLayer(description, method);
      expect(chosen.name).toBe(layer);
      expect(chosen.grid).toEqual(grid);
      expect(resolveGradCamLayer(description, undefined, method)).toEqual(chosen);
      const monai = gradCamLayers(description).find((l) => l.name === 'class_layers.relu');
      expect(Math.min(...monai!.grid)).toBeLessThan(Math.min(...chosen.grid));
    },
  );

  it('the default is Grad-CAM\'s when no method is named', () => {
    const description = describeDenseNet(MODEL_PRESETS.small, [64, 64, 64]);
    expect(defaultGradCamLayer(description)).toEqual(defaultGradCamLayer(description, 'gradcam'));
  });

  it('below 4 voxels per axis everywhere, takes the finest ReLU grid (deepest on ties)', () => {
    const description = describeDenseNet(
      { initFeatures: 4, growthRate: 2, blockConfig: [1, 1], bnSize: 2 },
      [8, 8, 8],
    );
    // stem: 8 -> 2 (conv stride 2, pool stride 2); transition1.relu 2^3, class_layers.relu 1^3.
    expect(defaultGradCamLayer(description)).toEqual({ name: 'features.transition1.relu', grid: [2, 2, 2] });
  });

  it('lists only layers that split the network cleanly, and names them in the error', () => {
    const description = describeDenseNet(
      { initFeatures: 4, growthRate: 2, blockConfig: [1, 1], bnSize: 2 },
      [16, 16, 16],
    );
    const names = gradCamLayers(description).map((l) => l.name);
    expect(names).toContain('class_layers.relu');
    expect(names).toContain('features.denseblock1.denselayer1.cat');
    expect(names).not.toContain('features.denseblock1.denselayer1.layers.relu1');
    expect(names).not.toContain('features.norm5');
    expect(resolveGradCamLayer(description, 'class_layers.relu').grid).toEqual([2, 2, 2]);
    expect(() => resolveGradCamLayer(description, 'nope')).toThrow(
      expect.objectContaining({
        code: 'BAD_ARGUMENT',
        message: expect.stringContaining('features.transition1.relu (4x4x4)'),
      }),
    );
  });
});
