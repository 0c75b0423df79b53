// The server's gatekeeping: an access token made at start (header or cookie, compared in constant time),
// Host checks against DNS rebinding, Origin checks instead of CORS, and the headers every answer carries.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HEADERS } from '../api/index.js';

/** A fresh access token: 32 random bytes, base64url (43 characters). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Compares two secrets in constant time (over their SHA-256 digests, so lengths leak nothing either). */
export function sameSecret(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db) && a.length === b.length;
}

/** The cookie holding the token; named by port, because browsers share cookies between ports of a host. */
export function cookieName(port: number): string {
  return `voxlab_token_${port}`;
}

/** The Set-Cookie value that hands the served UI its token: HttpOnly, SameSite=Strict, whole site. */
export function tokenCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

/** Where a browser exchanges a personal token for a session cookie (POST { token }), and ends it. */
export const SIGN_IN_PATH = '/auth/signin';
export const SIGN_OUT_PATH = '/auth/signout';
/** What a signed-out page may ask without a token: { oidc: { label, start } | null }. */
export const AUTH_CONFIG_PATH = '/auth/config';
/** Single sign-on: the start (redirect to the provider) and the provider's redirect back. */
export const OIDC_START_PATH = '/auth/oidc/start';
export const OIDC_CALLBACK_PATH = '/auth/oidc/callback';

/** The session cookie's name (per port, like the token's). */
export function sessionCookieName(port: number): string {
  return `voxlab_session_${port}`;
}

/** Set-Cookie for a session: HttpOnly, SameSite=Strict, whole site, `maxAge` seconds (0 clears it). */
export function sessionCookie(port: number, sessionId: string, maxAge: number): string {
  return `${sessionCookieName(port)}=${sessionId}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAge}`;
}

/** The session id of a request's cookie, or null. */
export function presentedSession(req: IncomingMessage, port: number): string | null {
  const name = sessionCookieName(port);
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

/** The token a request presents: X-Voxlab-Token, Authorization: Bearer, or the cookie; null when none. */
export function presentedToken(req: IncomingMessage, port: number): string | null {
  const header = req.headers[HEADERS.token];
  if (typeof header === 'string' && header !== '') return header;
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice(7).trim();
  const name = cookieName(port);
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** True for host names and addresses that only this machine can reach. */
export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || host.startsWith('127.');
}

/** True for 0.0.0.0 / :: (every interface). */
export function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '';
}

/**
 * The Host header values to accept: the bound address and, on loopback, 'localhost' and '127.0.0.1', each
 * with the port, plus `extra` names. null means any (bound to every interface: there is no one right name).
 */
export function allowedHosts(
  bindHost: string,
  port: number,
  extra: readonly string[] = [],
): Set<string> | null {
  if (isWildcard(bindHost) && extra.length === 0) return null;
  const names = new Set<string>([...extra.map((h) => h.toLowerCase())]);
  const literal = bindHost.includes(':') ? `[${bindHost}]` : bindHost;
  names.add(literal.toLowerCase());
  if (isLoopback(bindHost) || isWildcard(bindHost))
    ['localhost', '127.0.0.1', '[::1]'].forEach((h) => names.add(h));
  return new Set([...names].map((h) => `${h}:${port}`));
}

/** Why a request is refused before authentication (bad Host or a foreign Origin), or null when it may go on. */
export function refuseOrigin(req: IncomingMessage, hosts: Set<string> | null): string | null {
  const host = (req.headers.host ?? '').toLowerCase();
  if (host === '') return 'the request has no Host header';
  if (hosts !== null && !hosts.has(host))
    return `Host "${host.slice(0, 100)}" is not this server's (DNS rebinding protection)`;
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`)
    return `cross-origin requests are refused (Origin ${origin.slice(0, 100)})`;
  if (req.headers['sec-fetch-site'] === 'cross-site') return 'cross-site requests are refused';
  return null;
}

/** Headers on every answer: no sniffing, no caching of study data, no framing, no referrer. */
export const BASE_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
};

/** The served UI's Content-Security-Policy: its own scripts and connections only, blobs for volume data. */
export const UI_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";
