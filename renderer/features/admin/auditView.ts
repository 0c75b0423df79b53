// The audit log as the Admin panel shows it (issue #13): audit.list answers rows oldest first, after a seq;
// the panel loads them page by page (afterSeq/limit), keeps them in seq order, and shows them newest first,
// a page at a time. Pure functions over the contract's AuditRow.

import type { AuditRow, Req } from '../../../core/api/index.js';
import { METHODS, METHOD_NAMES, type MethodName } from '../../../core/api/index.js';
import type { AuditFilter } from '../../stores/useAdminStore.js';

/** Rows asked for per audit.list call. */
export const FETCH_LIMIT = 500;
/** Rows per page of the newest-first view. */
export const PAGE_SIZE = 25;

/** The audit.list request for `filter` (empty fields left out) after `afterSeq`. */
export function auditRequest(filter: AuditFilter, afterSeq: number, limit = FETCH_LIMIT): Req<'audit.list'> {
  const account = filter.account.trim();
  const method = filter.method.trim();
  const target = filter.target.trim();
  return {
    ...(account !== '' ? { account } : {}),
    ...(method !== '' ? { method } : {}),
    ...(target !== '' ? { target } : {}),
    afterSeq,
    limit,
  };
}

/** `known` followed by the rows of `more` it lacks, in seq order (a repeated page adds nothing). */
export function mergeAudit(known: readonly AuditRow[], more: readonly AuditRow[]): AuditRow[] {
  const seen = new Set(known.map((r) => r.seq));
  return [...known, ...more.filter((r) => !seen.has(r.seq))].sort((a, b) => a.seq - b.seq);
}

/** The seq to ask after for rows newer than `known` (0: from the start). */
export function lastSeq(known: readonly AuditRow[]): number {
  return known.reduce((m, r) => Math.max(m, r.seq), 0);
}

/** How many newest-first pages `count` rows fill (at least 1). */
export function pageCount(count: number, pageSize = PAGE_SIZE): number {
  return Math.max(1, Math.ceil(count / pageSize));
}

/** Page `page` (0: newest) of `rows` (oldest first) shown newest first. */
export function newestFirstPage(rows: readonly AuditRow[], page: number, pageSize = PAGE_SIZE): AuditRow[] {
  const end = rows.length - page * pageSize;
  return rows.slice(Math.max(0, end - pageSize), Math.max(0, end)).reverse();
}

/** "3 → 4", "new → 1" (a version made), "2 → –" or '' when the call touches no versioned record. */
export function versionsText(r: Pick<AuditRow, 'beforeVersion' | 'afterVersion'>): string {
  if (r.beforeVersion === null && r.afterVersion === null) return '';
  return `${r.beforeVersion ?? 'new'} → ${r.afterVersion ?? '–'}`;
}

/** The chain's status in words: 'ok' when it checks out, a warning when the file was changed behind voxlab. */
export function chainStatus(verified: boolean | null): { tone: 'ok' | 'bad' | 'unknown'; text: string } {
  if (verified === null) return { tone: 'unknown', text: 'Checking the audit log…' };
  if (verified) return { tone: 'ok', text: 'The log checks out: every row is linked to the one before it.' };
  return {
    tone: 'bad',
    text: 'The audit log was edited outside voxlab: its hash chain does not check out, so rows may have been changed or removed. Keep a copy of the study folder and find out who had access to it.',
  };
}

/** The methods that write an audit row (the method table's `audit`), plus single sign-on, for the filter. */
export function auditedMethods(): string[] {
  const audited = METHOD_NAMES.filter((m: MethodName) => (METHODS[m] as { audit?: boolean }).audit === true);
  return [...audited, 'auth.oidc'].sort();
}
