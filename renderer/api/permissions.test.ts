// The app's role checks come from the contract's method table, like the server's: every method x every
// role agrees with METHODS[m].roles, and a refusal names what the method does and who may.

import { describe, expect, it } from 'vitest';
import { METHODS, METHOD_NAMES, type Role } from '../../core/api/index.js';
import { mayCall, refusal, rolesInWords } from './permissions.js';

const ROLES: readonly Role[] = ['annotator', 'reviewer', 'researcher', 'admin'];

describe('mayCall', () => {
  it('agrees with the method table for every method and role; an unknown role (local study) may call everything', () => {
    for (const m of METHOD_NAMES) {
      for (const r of ROLES) expect(mayCall(m, r), `${m} as ${r}`).toBe((METHODS[m].roles as readonly Role[]).includes(r));
      expect(mayCall(m, null)).toBe(true);
    }
  });

  it.each([
    ['train.start', 'annotator', false],
    ['models.import', 'reviewer', false],
    ['reads.adjudicate', 'reviewer', true],
    ['reads.adjudicate', 'researcher', false],
    ['labels.set', 'researcher', false],
    ['agreement.report', 'annotator', false],
  ] as const)('%s as %s: %s', (m, r, want) => {
    expect(mayCall(m, r)).toBe(want);
  });
});

describe('refusal', () => {
  it('names the role, what it may not do and who may', () => {
    expect(refusal('train.start', 'annotator')).toBe('Your role (annotator) may not start a training run: that needs the role researcher or admin.');
    expect(refusal('train.start', 'admin')).toBeNull();
  });

  it.each([
    [['admin'], 'admin'],
    [['researcher', 'admin'], 'researcher or admin'],
    [['reviewer', 'researcher', 'admin'], 'reviewer, researcher or admin'],
  ] as const)('%j in words: %s', (roles, want) => {
    expect(rolesInWords(roles)).toBe(want);
  });
});
