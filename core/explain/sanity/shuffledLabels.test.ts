import { describe, expect, it } from 'vitest';
import { shuffledLabels } from './shuffledLabels.js';

describe('shuffledLabels', () => {
  it('permutes the labels (same multiset), the same way for the same seed, another way for another', () => {
    const labels = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 'lesion' : 'control'));
    const a = shuffledLabels(labels, 3);
    expect([...a].sort()).toEqual([...labels].sort());
    expect(shuffledLabels(labels, 3)).toEqual(a);
    expect(a).not.toEqual(labels);
    expect(shuffledLabels(labels, 4)).not.toEqual(a);
  });
});
