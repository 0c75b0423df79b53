import { describe, expect, it } from 'vitest';
import { stratifiedKFold, stratifiedSplit } from './split.js';

/** 30 items of class 0 and 12 of class 1, interleaved. */
const classes = Array.from({ length: 42 }, (_, i) => (i % 7 < 5 ? 0 : 1));
const count = (idx: readonly number[], c: number) => idx.filter((i) => classes[i] === c).length;

describe('stratifiedSplit', () => {
  it('holds out the same fraction of each class and covers every item once', () => {
    const { train, val } = stratifiedSplit(classes, 0.2, 1);
    expect(count(val, 0)).toBe(6); // round(30 * 0.2)
    expect(count(val, 1)).toBe(2); // round(12 * 0.2) = 2.4 → 2
    expect([...train, ...val].sort((a, b) => a - b)).toEqual(classes.map((_, i) => i));
    expect(train).toEqual([...train].sort((a, b) => a - b));
  });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(stratifiedSplit(classes, 0.25, 7)).toEqual(stratifiedSplit(classes, 0.25, 7));
    expect(stratifiedSplit(classes, 0.25, 7).val).not.toEqual(stratifiedSplit(classes, 0.25, 8).val);
  });

  it.each([
    [0.01, 1, 1], // rounds to 0 → at least one per class
    [0.99, 29, 11], // rounds to all → one left to train on
  ])('valFraction %s keeps every class in both parts', (fraction, val0, val1) => {
    const { val } = stratifiedSplit(classes, fraction, 3);
    expect([count(val, 0), count(val, 1)]).toEqual([val0, val1]);
  });

  it('refuses a class with a single item, naming it', () => {
    expect(() => stratifiedSplit([0, 0, 0, 1], 0.2, 1, ['F', 'M'])).toThrow(
      expect.objectContaining({
        code: 'TRAIN_DATA_INVALID',
        message: expect.stringContaining('class "M" has 1'),
      }),
    );
  });
});

describe('stratifiedKFold', () => {
  it('validates every item exactly once, with balanced and stratified folds', () => {
    const folds = stratifiedKFold(classes, 5, 11);
    expect(folds).toHaveLength(5);
    const validated = folds.flatMap((f) => f.val).sort((a, b) => a - b);
    expect(validated).toEqual(classes.map((_, i) => i));
    for (const f of folds) {
      expect(f.val.length).toBeGreaterThanOrEqual(8);
      expect(f.val.length).toBeLessThanOrEqual(9);
      expect(count(f.val, 0)).toBe(6);
      expect([2, 3]).toContain(count(f.val, 1));
      expect(f.train.filter((i) => f.val.includes(i))).toEqual([]);
      expect(f.train.length + f.val.length).toBe(42);
    }
    expect(stratifiedKFold(classes, 5, 11)).toEqual(folds);
  });

  it('refuses k below 2 and classes smaller than k', () => {
    expect(() => stratifiedKFold(classes, 1, 0)).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
    expect(() => stratifiedKFold([0, 0, 0, 1, 1], 3, 0)).toThrow(
      expect.objectContaining({ code: 'TRAIN_DATA_INVALID' }),
    );
  });
});
