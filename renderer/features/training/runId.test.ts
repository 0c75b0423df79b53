// Run ids: fresh per start, never a taken one, typed ids checked in words.

import { describe, expect, it } from 'vitest';
import { proposeRunId, runIdProblem } from './runId.js';

const NOW = new Date('2025-03-01T09:08:07.123Z');

describe('proposeRunId', () => {
  it.each([
    [[], 'train-20250301-090807'],
    [['train-20250301-090807'], 'train-20250301-090807-2'],
    [['train-20250301-090807', 'train-20250301-090807-2'], 'train-20250301-090807-3'],
  ])('with %j taken: %s', (taken, id) => {
    expect(proposeRunId(NOW, taken)).toBe(id);
  });
  it('proposes another id once the first is used', () => {
    const first = proposeRunId(NOW, []);
    expect(proposeRunId(NOW, [first])).not.toBe(first);
  });
});

describe('runIdProblem', () => {
  it.each([
    ['', /proposed/],
    ['my run', /cannot name a run/],
    ['-x', /cannot name a run/],
    ['done-run', /already has a run or model "done-run"/],
  ])('%j is refused', (id, message) => {
    expect(runIdProblem(id, ['done-run'])).toMatch(message);
  });
  it('accepts a free id', () => {
    expect(runIdProblem(' run.2_b ', ['done-run'])).toBeNull();
  });
});
