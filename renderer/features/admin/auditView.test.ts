// The audit log view: requests by afterSeq/limit, merging pages without repeats, newest-first pages, version
// and chain-status words.

import { describe, expect, it } from 'vitest';
import type { AuditRow } from '../../../core/api/index.js';
import { NO_FILTER } from '../../stores/useAdminStore.js';
import { auditRequest, auditedMethods, chainStatus, lastSeq, mergeAudit, newestFirstPage, pageCount, versionsText } from './auditView.js';

const row = (seq: number): AuditRow => ({
  seq,
  at: `2026-12-06T10:00:${String(seq % 60).padStart(2, '0')}Z`,
  account: 'boss',
  role: 'admin',
  method: 'labels.set',
  target: `img-${seq}`,
  beforeVersion: null,
  afterVersion: 1,
  detail: null,
  hash: `h${seq}`,
});
const rows = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => row(from + i));

describe('audit view', () => {
  it('asks for the filter fields given, after a seq, a page at a time', () => {
    expect(auditRequest(NO_FILTER, 0)).toEqual({ afterSeq: 0, limit: 500 });
    expect(auditRequest({ account: ' boss ', method: 'users.add', target: '' }, 42, 10)).toEqual({
      account: 'boss',
      method: 'users.add',
      afterSeq: 42,
      limit: 10,
    });
  });

  it('merges pages in seq order without repeats and knows the last seq', () => {
    const merged = mergeAudit(rows(1, 3), [row(3), row(5), row(4)]);
    expect(merged.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(lastSeq(merged)).toBe(5);
    expect(lastSeq([])).toBe(0);
  });

  it.each([
    [0, [60, 59, 58]],
    [1, [57, 56, 55]],
    [19, [3, 2, 1]],
    [20, []],
  ])('page %i of 60 rows, 3 a page, is newest first: %j', (page, want) => {
    expect(newestFirstPage(rows(1, 60), page, 3).map((r) => r.seq)).toEqual(want);
  });

  it('counts pages, a short last page included', () => {
    expect(newestFirstPage(rows(1, 7), 2, 3).map((r) => r.seq)).toEqual([1]);
    expect(pageCount(7, 3)).toBe(3);
    expect(pageCount(0, 3)).toBe(1);
  });

  it.each([
    [null, null, ''],
    [null, 1, 'new → 1'],
    [3, 4, '3 → 4'],
    [2, null, '2 → –'],
  ] as const)('versions %j → %j read %j', (beforeVersion, afterVersion, want) => {
    expect(versionsText({ beforeVersion, afterVersion })).toBe(want);
  });

  it('says whether the chain checks out', () => {
    expect(chainStatus(true)).toMatchObject({ tone: 'ok', text: expect.stringMatching(/^The log checks out/) });
    expect(chainStatus(false)).toMatchObject({ tone: 'bad', text: expect.stringMatching(/^The audit log was edited outside voxlab/) });
    expect(chainStatus(null).tone).toBe('unknown');
  });

  it('offers the audited methods of the method table as filters', () => {
    const methods = auditedMethods();
    expect(methods).toEqual(expect.arrayContaining(['users.add', 'users.disable', 'users.rotate', 'labels.set', 'auth.oidc']));
    expect(methods).not.toContain('audit.list');
    expect(methods).not.toContain('users.list');
  });
});
