import { describe, expect, it } from 'vitest';
import { isVoxlabError } from '../common/errors.js';
import { planCohort, type CohortOptions } from './cohortPlan.js';

describe('planCohort', () => {
  it.each([
    [20, 0.5, 10],
    [7, 0.5, 4],
    [10, 0.3, 3],
    [5, 0, 0],
    [5, 1, 5],
  ])('n = %i, classBalance = %f → %i lesion subjects', (n, classBalance, positives) => {
    const plan = planCohort({ n, seed: 3, classBalance });
    expect(plan.subjects.filter((s) => s.label === 1)).toHaveLength(positives);
    expect(plan.subjects.map((s) => s.subject)).toEqual(
      Array.from({ length: n }, (_, i) => `synth_${String(i).padStart(3, '0')}`),
    );
  });

  it('is the same for a seed, shuffles labels and seeds differently for another', () => {
    const a = planCohort({ n: 30, seed: 1 });
    expect(planCohort({ n: 30, seed: 1 })).toEqual(a);
    const b = planCohort({ n: 30, seed: 2 });
    expect(b.subjects.map((s) => s.label)).not.toEqual(a.subjects.map((s) => s.label));
    expect(b.subjects.map((s) => s.seed)).not.toEqual(a.subjects.map((s) => s.seed));
    expect(new Set(a.subjects.map((s) => s.seed)).size).toBe(30);
  });

  it('names subjects with as many digits as n needs', () => {
    expect(planCohort({ n: 1001, seed: 1, shape: [16, 16, 16] }).subjects[1000]!.subject).toBe('synth_1000');
  });

  it.each([
    ['n = 0', { n: 0 }, /n must be an integer/],
    ['n < 0', { n: -3 }, /n must be an integer/],
    ['n fractional', { n: 2.5 }, /n must be an integer/],
    ['n a string', { n: '4' }, /n must be an integer/],
    ['seed missing', { seed: undefined }, /seed/],
    ['classBalance 1.5', { classBalance: 1.5 }, /classBalance/],
    ['classBalance NaN', { classBalance: Number.NaN }, /classBalance/],
    ['shape too small', { shape: [8, 8, 8] }, /shape/],
  ])('rejects %s with BAD_ARGUMENT', (_name, override, message) => {
    const options = { n: 4, seed: 1, ...override } as unknown as CohortOptions;
    let caught: unknown;
    try {
      planCohort(options);
    } catch (e) {
      caught = e;
    }
    expect(isVoxlabError(caught) && caught.code === 'BAD_ARGUMENT').toBe(true);
    expect((caught as Error).message).toMatch(message);
  });
});
