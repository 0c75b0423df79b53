import { describe, expect, it } from 'vitest';
import { niceUpper, xTicks } from './chartTicks.js';

describe('xTicks', () => {
  it.each([
    [0, [0, 1]],
    [3, [0, 1, 2, 3]],
    [200, [0, 25, 50, 75, 100, 125, 150, 175, 200]],
    [2.4, [0, 1, 2, 3]],
  ] as const)('up to %f', (xMax, ticks) => {
    expect(xTicks(xMax)).toEqual(ticks);
  });
});

describe('niceUpper', () => {
  it.each([
    [0.72, 0.75],
    [3.4, 3.5],
    [0.1, 0.1],
    [1, 1],
    [12, 15],
    [0, 1],
  ])('%f -> %f', (v, top) => {
    expect(niceUpper(v)).toBe(top);
  });
});
