import { describe, expect, it } from 'vitest';
import { describeDenseNet, stateEntries } from '../../model/index.js';
import { MODEL_PRESETS } from '../../train/config.js';
import { cascadeGroups } from './layerGroups.js';

describe('cascadeGroups', () => {
  it.each([
    ['small', MODEL_PRESETS.small.blockConfig],
    ['tiny cut to two blocks', [2, 2]],
  ])(
    '%s: class_layers first, blocks and transitions going down, the stem last; every key once',
    (_, blocks) => {
      const d = describeDenseNet(
        { inChannels: 1, outChannels: 2, ...MODEL_PRESETS.tiny, blockConfig: [...blocks] },
        [32, 32, 32],
      );
      const groups = cascadeGroups(d);
      const b = blocks.length;
      const middle = Array.from({ length: 2 * b - 1 }, (_, i) =>
        i % 2 === 0 ? `features.denseblock${b - i / 2}` : `features.transition${b - (i + 1) / 2}`,
      );
      expect(groups.map((g) => g.name)).toEqual(['class_layers', ...middle, 'features.conv0']);
      expect(groups[0]!.keys).toContain('features.norm5.weight');
      expect(groups.at(-1)!.keys).toContain('features.norm0.running_var');
      const all = groups.flatMap((g) => g.keys);
      expect(all.sort()).toEqual(
        stateEntries(d)
          .map((e) => e.key)
          .sort(),
      );
    },
  );
});
