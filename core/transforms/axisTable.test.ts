import { describe, expect, it } from 'vitest';
import { axisTable } from './axisTable.js';

/** The table as [index..., weight...] per output, to compare with hand-computed torch values. */
const rows = (t: ReturnType<typeof axisTable>) =>
  Array.from({ length: t.outSize }, (_, m) => [
    [...t.index.subarray(m * t.taps, (m + 1) * t.taps)],
    [...t.weight.subarray(m * t.taps, (m + 1) * t.taps)],
  ]);

describe('axisTable', () => {
  it('linear, align_corners=False: src = (dst + 0.5) * in / out - 0.5, clamped at 0 and at the top', () => {
    // 2 -> 4: src = -0.25 (-> 0), 0.25, 0.75, 1.25 (i0 = 1 is the last index: i1 stays 1).
    expect(rows(axisTable(2, 4, 'linear'))).toEqual([
      [
        [0, 1],
        [1, 0],
      ],
      [
        [0, 1],
        [0.75, 0.25],
      ],
      [
        [0, 1],
        [0.25, 0.75],
      ],
      [
        [1, 1],
        [0.75, 0.25],
      ],
    ]);
  });

  it('linear, align_corners=True: src = dst * (in - 1) / (out - 1)', () => {
    expect(rows(axisTable(3, 5, 'linear', true)).map(([i, w]) => [i![0], w![1]])).toEqual([
      [0, 0],
      [0, 0.5],
      [1, 0],
      [1, 0.5],
      [2, 0],
    ]);
  });

  it.each([
    ['nearest', 4, 3, [0, 1, 2]], // floor(dst * 4/3)
    ['nearest-exact', 4, 3, [0, 2, 3]], // floor((dst + 0.5) * 4/3)
    ['nearest', 2, 4, [0, 0, 1, 1]], // out = 2 * in: dst >> 1
    ['nearest', 3, 7, [0, 0, 0, 1, 1, 2, 2]],
  ] as const)('%s %i -> %i picks %j', (mode, n, m, expected) => {
    expect([...axisTable(n, m, mode).index]).toEqual(expected);
  });

  it('area averages inputs floor(dst * in / out) .. ceil((dst + 1) * in / out) - 1', () => {
    const t = axisTable(5, 3, 'area'); // windows [0, 2), [1, 4), [3, 5)
    expect(t.taps).toBe(3);
    expect(rows(t)).toEqual([
      [
        [0, 1, 0],
        [0.5, 0.5, 0],
      ],
      [[1, 2, 3], [1 / 3, 1 / 3, 1 / 3].map(Math.fround)],
      [
        [3, 4, 3],
        [0.5, 0.5, 0],
      ],
    ]);
  });
});
