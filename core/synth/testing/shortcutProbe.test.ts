import { describe, expect, it } from 'vitest';
import { isVoxlabError } from '../../common/errors.js';
import {
  GLOBAL_FEATURE_NAMES,
  HISTOGRAM_BINS,
  fitLogistic,
  globalFeatures,
  rocAuc,
} from './shortcutProbe.js';

describe('shortcutProbe', () => {
  it.each([
    ['perfect', [0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0], 1],
    ['reversed', [0.1, 0.2, 0.8, 0.9], [1, 1, 0, 0], 0],
    ['all tied', [0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0], 0.5],
    ['one swap of four pairs', [0.9, 0.3, 0.4, 0.1], [1, 1, 0, 0], 0.75],
  ] as const)('rocAuc: %s', (_name, scores, labels, auc) => {
    expect(rocAuc(scores, labels)).toBeCloseTo(auc, 12);
  });

  it('rocAuc refuses a single class', () => {
    let caught: unknown;
    try {
      rocAuc([1, 2], [1, 1]);
    } catch (e) {
      caught = e;
    }
    expect(isVoxlabError(caught) && caught.code === 'BAD_ARGUMENT').toBe(true);
  });

  it('globalFeatures: min, max, mean, std and a histogram that sums to 1', () => {
    const f = globalFeatures(Float32Array.from([0, 0.25, 0.5, 1]));
    expect(f).toHaveLength(GLOBAL_FEATURE_NAMES.length);
    expect(f.slice(0, 4).map((v) => Number(v.toFixed(6)))).toEqual([0, 1, 0.4375, 0.369755]);
    const hist = f.slice(-HISTOGRAM_BINS);
    expect(hist.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    expect([hist[0], hist[4], hist[8], hist[15]]).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('fitLogistic ranks a held-out point by the informative feature, ignoring a noise one', () => {
    const rows = [-2, -1.5, -1, -0.5, 0.5, 1, 1.5, 2].map((x, i) => [x, (i * 7) % 3]);
    const labels = rows.map((r) => (r[0]! > 0 ? 1 : 0) as 0 | 1);
    const model = fitLogistic(rows, labels);
    expect(model.score([3, 1])).toBeGreaterThan(model.score([-3, 1]));
    expect(
      rocAuc(
        rows.map((r) => model.score(r)),
        labels,
      ),
    ).toBe(1);
  });
});
