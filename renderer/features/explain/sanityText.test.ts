import { describe, expect, it } from 'vitest';
import type { MapSanity } from '../../../core/api/index.js';
import { sanityText } from './sanityText.js';

const sanity = (over: Partial<MapSanity> = {}): MapSanity => ({
  verdict: 'passed',
  words: 'the map changes',
  kind: 'cascade',
  lastSpearman: 0.123,
  lastSpearmanAbs: 0.2,
  dataSpearman: null,
  threshold: 0.5,
  steps: [],
  ...over,
});

describe('sanityText', () => {
  it.each([
    ['not run', null, 'Sanity check: not run'],
    [
      'a passed cascade',
      sanity(),
      'Sanity check: passed (rank correlation 0.12 with every layer randomized)',
    ],
    [
      'a failed check with shuffled labels',
      sanity({ verdict: 'failed', kind: 'all', lastSpearman: 0.91, dataSpearman: 0.8 }),
      'Sanity check: failed (rank correlation 0.91 with every layer randomized, 0.80 with shuffled labels)',
    ],
    ['a flat map', sanity({ verdict: 'inconclusive', lastSpearman: null }), 'Sanity check: inconclusive'],
  ])('%s', (_, s, text) => {
    expect(sanityText(s)).toBe(text);
  });
});
