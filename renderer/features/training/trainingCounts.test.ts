// Labeled scans per class and the validation split, as core/train will make them, and the refusals in words.

import { describe, expect, it } from 'vitest';
import { trainingCounts } from './trainingCounts.js';

const labels = (...names: (string | null)[]) => names.map((label) => ({ label }));

describe('trainingCounts', () => {
  it('counts labeled scans per class in the study order and splits each class', () => {
    const c = trainingCounts(labels('M', 'F', 'M', null, 'F', 'M', 'F', 'M', 'M'), ['M', 'F', 'X'], 0.25);
    expect(c.classes).toEqual([
      { name: 'M', total: 5, val: 1, train: 4 },
      { name: 'F', total: 3, val: 1, train: 2 },
      { name: 'X', total: 0, val: 0, train: 0 },
    ]);
    expect(c).toMatchObject({ total: 8, val: 2, problems: [] });
  });
  it.each([
    [0.5, [5, 2]],
    [0.9, [9, 2]],
    [0.05, [1, 1]],
  ])('valFraction %f holds out round(n * f) within [1, n - 1] per class: %j', (f, [m, fem]) => {
    const c = trainingCounts(labels(...Array(10).fill('M'), 'F', 'F', 'F'), ['F', 'M'], f);
    expect(c.classes.find((r) => r.name === 'M')!.val).toBe(m);
    expect(c.classes.find((r) => r.name === 'F')!.val).toBe(fem);
  });
  it('lists labels that are not (yet) study classes after them', () => {
    expect(trainingCounts(labels('b', 'a', 'a', 'b'), [], 0.5).classes.map((r) => r.name)).toEqual([
      'a',
      'b',
    ]);
  });
  it.each([
    [labels(null, null), /No scan has a class label/],
    [labels('M', 'M'), /Every labeled scan is "M"/],
    [labels('M', 'M', 'F'), /Class "F" has 1 labeled scan/],
  ])('says why training would be refused (%#)', (images, problem) => {
    expect(trainingCounts(images, ['F', 'M'], 0.2).problems.join(' ')).toMatch(problem);
  });
  it('refuses a fraction outside (0, 1)', () => {
    expect(trainingCounts(labels('M', 'M', 'F', 'F'), ['F', 'M'], 1).problems[0]).toMatch(/between 0 and 1/);
  });
});
