// The side panels follow the caller's role: derived from the method table, so a role change there moves the tabs.

import { describe, expect, it } from 'vitest';
import { panelsFor } from './panels.js';

describe('panelsFor', () => {
  it.each([
    [null, false, ['Label', 'Segment', 'Explain', 'Train']],
    ['admin', false, ['Label', 'Segment', 'Explain', 'Train']],
    ['annotator', true, ['Label', 'Segment']],
    ['reviewer', true, ['Label', 'Segment', 'Explain', 'Reading']],
    ['researcher', true, ['Label', 'Segment', 'Explain', 'Train', 'Reading']],
    ['admin', true, ['Label', 'Segment', 'Explain', 'Train', 'Reading', 'Admin']],
    [null, true, ['Label', 'Segment', 'Explain', 'Train', 'Reading']],
  ] as const)('%s (accounts: %s) sees %j', (role, accounts, want) => {
    expect(panelsFor(role, accounts)).toEqual(want);
  });
});
