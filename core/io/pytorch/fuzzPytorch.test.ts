// The checkpoint reader under fuzzing: 3,000 damaged torch.save-like files (flipped and spliced bytes,
// truncation, wrong entry sizes, damaged zip records) each read or throw a VoxlabError, in time. The
// 10,000-case run is `npm run fuzz -- pytorch` (scripts/fuzz.ts).

import { describe, expect, it } from 'vitest';
import { fuzzPytorch } from './fuzzPytorch.js';

describe('fuzzPytorch', () => {
  it('3,000 damaged checkpoints: every case reads or throws a VoxlabError in time', () => {
    const report = fuzzPytorch({ cases: 3000, seed: 20261206, caseLimitMs: 1000 });
    expect(report.failures).toEqual([]);
    expect(report.ok + Object.values(report.byCode).reduce((a, b) => a + b, 0)).toBe(3000);
    // Both outcomes happen: the mutations are not all fatal, and not all harmless.
    expect(report.ok).toBeGreaterThan(30);
    expect(report.byCode.WEIGHTS_INVALID).toBeGreaterThan(1500);
  }, 30_000);
});
