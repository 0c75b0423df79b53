// Accounts of a team study (issue #13): a name, one role, and a personal token shown once. Only the
// SHA-256 of the token's secret is stored (a 256-bit random secret needs no slow hash: nothing to guess;
// GitHub stores its tokens the same way). Disabling or rotating takes effect at the next request: every
// request looks the token up, nothing is cached. Browser sessions (HttpOnly cookie) are rows of `sessions`,
// ended with the account. A study without accounts is a local desktop study: one implicit local user.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { VoxlabError } from '../common/errors.js';
import { nowIso } from './layout.js';
import type { StudyHandle } from './layout.js';

/** The roles, from least to most trusted (see core/api/methods.ts for what each may call). */
export const ROLES = ['annotator', 'reviewer', 'researcher', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** An account as listed (never its token). */
export interface Account {
  readonly name: string;
  readonly role: Role;
  readonly createdAt: string;
  readonly createdBy: string;
  /** When the token was last replaced; null when never. */
  readonly rotatedAt: string | null;
  /** When the account was disabled; null when active. */
  readonly disabledAt: string | null;
}

interface Row {
  id: number;
  name: string;
  role: Role;
  token_hash: string;
  created_at: string;
  created_by: string;
  rotated_at: string | null;
  disabled_at: string | null;
}

const toAccount = (r: Row): Account => ({
  name: r.name,
  role: r.role,
  createdAt: r.created_at,
  createdBy: r.created_by,
  rotatedAt: r.rotated_at,
  disabledAt: r.disabled_at,
});

/** Token layout: `vxl_<account id>_<secret>`, secret = 32 random bytes, base64url. */
const TOKEN = /^vxl_(\d{1,12})_([A-Za-z0-9_-]{43})$/;
/** Account names: what a person is called in labels and the audit log. */
const NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._@-]{0,63}$/u;
/** How long a browser session lasts: 12 hours (a working day), then sign in again. */
export const SESSION_HOURS = 12;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function sameHash(a: string, b: string): boolean {
  const da = Buffer.from(a, 'hex');
  const db = Buffer.from(b, 'hex');
  return da.length === db.length && timingSafeEqual(da, db);
}

function checkRole(role: unknown): asserts role is Role {
  if (!(ROLES as readonly unknown[]).includes(role))
    throw new VoxlabError('BAD_ARGUMENT', `The role must be one of ${ROLES.join(', ')}, not ${JSON.stringify(role)}`);
}

function row(h: StudyHandle, name: string): Row {
  const r = h.db.prepare('SELECT * FROM accounts WHERE name = ?').get(name) as Row | undefined;
  if (r === undefined) throw new VoxlabError('NOT_FOUND', `There is no account "${name}" in this study`, { name });
  return r;
}

/** True when the study has any account (then every request must be signed in). */
export function hasAccounts(h: StudyHandle): boolean {
  return h.db.prepare('SELECT 1 FROM accounts LIMIT 1').get() !== undefined;
}

/** Every account, in creation order. */
export function listAccounts(h: StudyHandle): Account[] {
  return (h.db.prepare('SELECT * FROM accounts ORDER BY id').all() as Row[]).map(toAccount);
}

/**
 * Adds an account and returns it with its personal token (the only time the token exists in clear).
 * Throws BAD_ARGUMENT (bad name or role), ALREADY_EXISTS (name taken).
 */
export function addAccount(h: StudyHandle, name: string, role: Role, createdBy: string): { account: Account; token: string } {
  if (typeof name !== 'string' || !NAME.test(name))
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `An account name is 1 to 64 letters, digits, spaces or . _ @ -, starting with a letter or digit; got ${JSON.stringify(name)}`,
    );
  checkRole(role);
  const secret = randomBytes(32).toString('base64url');
  return h.db.transaction(() => {
    if (h.db.prepare('SELECT 1 FROM accounts WHERE name = ?').get(name) !== undefined)
      throw new VoxlabError('ALREADY_EXISTS', `There is already an account "${name}"`, { name });
    const info = h.db
      .prepare('INSERT INTO accounts (name, role, token_hash, created_at, created_by) VALUES (?, ?, ?, ?, ?)')
      .run(name, role, sha256(secret), nowIso(), createdBy);
    const id = Number(info.lastInsertRowid);
    return { account: toAccount(row(h, name)), token: `vxl_${id}_${secret}` };
  }).immediate();
}

/** Disables an account: its token and sessions are refused from the next request on. NOT_FOUND. */
export function disableAccount(h: StudyHandle, name: string): Account {
  const r = row(h, name);
  h.db.transaction(() => {
    if (r.disabled_at === null) h.db.prepare('UPDATE accounts SET disabled_at = ? WHERE id = ?').run(nowIso(), r.id);
    h.db.prepare('DELETE FROM sessions WHERE account_id = ?').run(r.id);
  }).immediate();
  return toAccount(row(h, name));
}

/** Replaces an account's token (the old one is refused at once, sessions end) and returns the new one. */
export function rotateToken(h: StudyHandle, name: string): { account: Account; token: string } {
  const r = row(h, name);
  const secret = randomBytes(32).toString('base64url');
  h.db.transaction(() => {
    h.db.prepare('UPDATE accounts SET token_hash = ?, rotated_at = ? WHERE id = ?').run(sha256(secret), nowIso(), r.id);
    h.db.prepare('DELETE FROM sessions WHERE account_id = ?').run(r.id);
  }).immediate();
  return { account: toAccount(row(h, name)), token: `vxl_${r.id}_${secret}` };
}

/** The active account a personal token belongs to, or null (unknown, wrong, or disabled). */
export function accountForToken(h: StudyHandle, token: string): Account | null {
  const m = TOKEN.exec(token);
  if (m === null) return null;
  const r = h.db.prepare('SELECT * FROM accounts WHERE id = ?').get(Number(m[1])) as Row | undefined;
  if (r === undefined || !sameHash(sha256(m[2]!), r.token_hash) || r.disabled_at !== null) return null;
  return toAccount(r);
}

/** Starts a browser session for the account of `token`; returns the session id (for the cookie), or null. */
export function startSession(h: StudyHandle, token: string): { sessionId: string; account: Account; expiresAt: string } | null {
  const account = accountForToken(h, token);
  return account === null ? null : startSessionFor(h, account.name);
}

/** The active account of an unexpired session, or null. */
export function accountForSession(h: StudyHandle, sessionId: string): Account | null {
  if (!/^[A-Za-z0-9_-]{43}$/.test(sessionId)) return null;
  const r = h.db
    .prepare(
      'SELECT a.* FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.id_hash = ? AND s.expires_at > ? AND a.disabled_at IS NULL',
    )
    .get(sha256(sessionId), new Date().toISOString()) as Row | undefined;
  return r === undefined ? null : toAccount(r);
}

/** Ends a session (sign-out). */
export function endSession(h: StudyHandle, sessionId: string): void {
  h.db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(sha256(sessionId));
}

/**
 * The account of a person signed in by the institution's identity provider (OpenID Connect): created on
 * first sign-in (created_by 'oidc', a token nobody ever sees), its role updated to what the provider's
 * claims map to now. Returns null for a disabled account (a voxlab admin's decision outranks the provider).
 */
export function accountForOidc(h: StudyHandle, name: string, role: Role): Account | null {
  checkRole(role);
  return h.db.transaction(() => {
    const r = h.db.prepare('SELECT * FROM accounts WHERE name = ?').get(name) as Row | undefined;
    if (r === undefined) return addAccount(h, name, role, 'oidc').account;
    if (r.disabled_at !== null) return null;
    if (r.role !== role) h.db.prepare('UPDATE accounts SET role = ? WHERE id = ?').run(role, r.id);
    return toAccount(row(h, name));
  }).immediate();
}

/** Starts a browser session for an active account by name (after an OpenID Connect sign-in), or null. */
export function startSessionFor(h: StudyHandle, name: string): { sessionId: string; account: Account; expiresAt: string } | null {
  const r = h.db.prepare('SELECT * FROM accounts WHERE name = ? AND disabled_at IS NULL').get(name) as Row | undefined;
  if (r === undefined) return null;
  const id = randomBytes(32).toString('base64url');
  const now = Date.now();
  const expiresAt = new Date(now + SESSION_HOURS * 3600_000).toISOString();
  h.db.transaction(() => {
    h.db.prepare('DELETE FROM sessions WHERE expires_at < ?').run(new Date(now).toISOString());
    h.db.prepare('INSERT INTO sessions (id_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(sha256(id), r.id, new Date(now).toISOString(), expiresAt);
  }).immediate();
  return { sessionId: id, account: toAccount(r), expiresAt };
}
