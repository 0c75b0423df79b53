import { describe, expect, it } from 'vitest';
import type { CascadeStep } from './cascade.js';
import { SANITY_THRESHOLD, sanityVerdict } from './verdict.js';

const step = (spearman: number): CascadeStep => ({
  layer: 'features.conv0',
  randomized: ['class_layers', 'features.conv0'],
  spearman,
  spearmanAbs: Math.abs(spearman),
  ssim: 0.3,
});
const data = (spearman: number) => ({ spearman, spearmanAbs: Math.abs(spearman), ssim: 0.2 });

describe('sanityVerdict', () => {
  it.each([
    [
      'cascade below the threshold',
      [step(0.9), step(0.2)],
      null,
      'passed',
      /randomizing the model's weights \(rank correlation 0.20/,
    ],
    [
      'cascade at the threshold',
      [step(0.1), step(SANITY_THRESHOLD)],
      null,
      'failed',
      /hardly changes .* shows the image more than the model's reasoning/,
    ],
    [
      'both pass',
      [step(0.1)],
      data(0.3),
      'passed',
      /and under training on shuffled labels \(rank correlation 0.30\)/,
    ],
    [
      'data fails',
      [step(0.1)],
      data(0.8),
      'failed',
      /shuffled labels gives nearly the same map \(rank correlation 0.80\)/,
    ],
    ['data only, passes', null, data(-0.2), 'passed', /training on shuffled labels/],
    ['nothing ran', null, null, 'inconclusive', /no sanity check ran/],
  ] as const)('%s', (_, cascade, d, verdict, words) => {
    const v = sanityVerdict({ cascade, data: d });
    expect(v.verdict).toBe(verdict);
    expect(v.words).toMatch(words);
    expect(v.lastSpearman).toBe(cascade === null ? null : cascade.at(-1)!.spearman);
    expect(v.dataSpearman).toBe(d === null ? null : d.spearman);
  });

  it('passes on the raw values but says so when the absolute values keep their ranking (a sign flip)', () => {
    const flipped = { ...step(-0.49), spearmanAbs: 0.64 };
    const v = sanityVerdict({ cascade: [flipped], data: null });
    expect(v.verdict).toBe('passed');
    expect(v.lastSpearmanAbs).toBe(0.64);
    expect(v.words).toMatch(
      /absolute values keep rank correlation 0.64: how strongly a region counts follows the image/,
    );
    expect(sanityVerdict({ cascade: [step(-0.49)], data: null }).words).not.toMatch(/absolute/);
  });

  it("is inconclusive when the trained model's own map is flat", () => {
    expect(sanityVerdict({ cascade: [step(0)], data: null, referenceFlat: true }).verdict).toBe(
      'inconclusive',
    );
  });
});
