// The audit log (issue #13): one row per write made through the contract (label, labelmap, class change,
// account change, training start, model import/export, ...), with who, when, which method, its target and
// the versions before and after. Append-only: the table's triggers refuse UPDATE and DELETE. Tamper-evident:
// each row carries hash = SHA-256(prev_hash "\n" at "\n" account "\n" role "\n" method "\n" target "\n"
// before "\n" after "\n" detail), prev_hash being the previous row's hash ('' for the first), so editing
// the file behind voxlab's back (which triggers cannot stop) breaks the chain at that row: verifyAudit.
// Rows are written in WAL mode with the study's synchronous setting, like labels: they survive a crash
// once acknowledged.

import { createHash } from 'node:crypto';
import { VoxlabError, isDiskFull } from '../common/errors.js';
import { nowIso } from './layout.js';
import type { StudyHandle } from './layout.js';

/** One audit row as written. */
export interface AuditInput {
  readonly account: string;
  readonly role: string;
  readonly method: string;
  /** What was written: an image id, model id, class or account name, job id. */
  readonly target?: string | null;
  readonly beforeVersion?: number | null;
  readonly afterVersion?: number | null;
  readonly detail?: Record<string, unknown> | null;
}

/** One audit row as read. */
export interface AuditEntry {
  readonly seq: number;
  /** ISO 8601, UTC. */
  readonly at: string;
  readonly account: string;
  readonly role: string;
  readonly method: string;
  readonly target: string | null;
  readonly beforeVersion: number | null;
  readonly afterVersion: number | null;
  readonly detail: Record<string, unknown> | null;
  readonly hash: string;
}

interface Row {
  seq: number;
  at: string;
  account: string;
  role: string;
  method: string;
  target: string | null;
  before_version: number | null;
  after_version: number | null;
  detail: string | null;
  prev_hash: string;
  hash: string;
}

function rowHash(prev: string, r: Omit<Row, 'seq' | 'prev_hash' | 'hash'>): string {
  const fields = [prev, r.at, r.account, r.role, r.method, r.target ?? '', r.before_version ?? '', r.after_version ?? '', r.detail ?? ''];
  return createHash('sha256').update(fields.join('\n')).digest('hex');
}

/**
 * Appends a row (one transaction, chained to the last row). Returns its sequence number. Callers append after
 * the call they record succeeded, so on a full disk (SQLITE_FULL) it throws DISK_FULL with details.auditOnly:
 * the call's own change (if it made one) is saved, only its audit row is not, and its answer is withheld.
 */
export function appendAudit(h: StudyHandle, input: AuditInput): number {
  try {
    return appendRow(h, input);
  } catch (e) {
    if (!isDiskFull(e)) throw e;
    throw new VoxlabError(
      'DISK_FULL',
      `${input.method}: the audit log could not record this call: the disk holding the study is full. Free some space and try again; a change the call made is saved, and nothing saved before was lost.`,
      { method: input.method, target: input.target ?? null, auditOnly: true, reason: (e as Error).message },
      { cause: e },
    );
  }
}

function appendRow(h: StudyHandle, input: AuditInput): number {
  return h.db.transaction(() => {
    const last = h.db.prepare('SELECT hash FROM audit ORDER BY seq DESC LIMIT 1').get() as { hash: string } | undefined;
    const prev = last?.hash ?? '';
    const fields = {
      at: nowIso(),
      account: input.account,
      role: input.role,
      method: input.method,
      target: input.target ?? null,
      before_version: input.beforeVersion ?? null,
      after_version: input.afterVersion ?? null,
      detail: input.detail == null ? null : JSON.stringify(input.detail),
    };
    const info = h.db
      .prepare(
        'INSERT INTO audit (at, account, role, method, target, before_version, after_version, detail, prev_hash, hash) VALUES (@at, @account, @role, @method, @target, @before_version, @after_version, @detail, @prev, @hash)',
      )
      .run({ ...fields, prev, hash: rowHash(prev, fields) });
    return Number(info.lastInsertRowid);
  }).immediate();
}

/** Filters of listAudit. */
export interface AuditFilter {
  readonly account?: string;
  readonly method?: string;
  readonly target?: string;
  /** Only rows after this sequence number. */
  readonly afterSeq?: number;
  /** At most this many rows (default 1000), oldest first. */
  readonly limit?: number;
}

/** Audit rows, oldest first. */
export function listAudit(h: StudyHandle, filter: AuditFilter = {}): AuditEntry[] {
  const where: string[] = ['seq > @afterSeq'];
  if (filter.account !== undefined) where.push('account = @account');
  if (filter.method !== undefined) where.push('method = @method');
  if (filter.target !== undefined) where.push('target = @target');
  const rows = h.db
    .prepare(`SELECT * FROM audit WHERE ${where.join(' AND ')} ORDER BY seq LIMIT @limit`)
    .all({
      afterSeq: filter.afterSeq ?? 0,
      account: filter.account,
      method: filter.method,
      target: filter.target,
      limit: Math.max(1, Math.min(filter.limit ?? 1000, 100_000)),
    }) as Row[];
  return rows.map((r) => ({
    seq: r.seq,
    at: r.at,
    account: r.account,
    role: r.role,
    method: r.method,
    target: r.target,
    beforeVersion: r.before_version,
    afterVersion: r.after_version,
    detail: r.detail === null ? null : (JSON.parse(r.detail) as Record<string, unknown>),
    hash: r.hash,
  }));
}

/** Checks the whole chain: { ok: true, rows } or the first row whose hash or link does not match. */
export function verifyAudit(h: StudyHandle): { ok: true; rows: number } | { ok: false; rows: number; badSeq: number; why: string } {
  let prev = '';
  let n = 0;
  for (const r of h.db.prepare('SELECT * FROM audit ORDER BY seq').iterate() as IterableIterator<Row>) {
    n++;
    if (r.prev_hash !== prev) return { ok: false, rows: n, badSeq: r.seq, why: 'its link to the previous row does not match (a row was removed or inserted)' };
    if (rowHash(prev, r) !== r.hash) return { ok: false, rows: n, badSeq: r.seq, why: 'its content does not match its hash (the row was edited)' };
    prev = r.hash;
  }
  return { ok: true, rows: n };
}
