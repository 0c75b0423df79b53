// The browser's sign-in to a team study served by `voxlab serve` (issue #13): POST /auth/signin { token }
// trades a personal token for an HttpOnly session cookie; POST /auth/signout ends it. HTTP only: these are
// routes of the server, not methods of the contract (the desktop app has no sessions).

import type { Role } from '../../core/api/index.js';
import { VoxlabError } from '../../core/common/errors.js';

/** The server's paths (core/server/security.ts SIGN_IN_PATH / SIGN_OUT_PATH / AUTH_CONFIG_PATH). */
export const SIGN_IN_PATH = '/auth/signin';
export const SIGN_OUT_PATH = '/auth/signout';
export const AUTH_CONFIG_PATH = '/auth/config';

/** How this server lets people sign in besides personal tokens: single sign-on (its button's whole label, e.g. "Sign in with Test Hospital", and start path), or none. */
export interface AuthConfig {
  readonly oidc: { readonly label: string; readonly start: string } | null;
}

/** The account a sign-in opened a session for. */
export interface SignedIn {
  readonly name: string;
  readonly role: Role;
  /** ISO time the session ends. */
  readonly expiresAt: string;
}

type Fetch = (input: string, init: RequestInit) => Promise<Response>;

/** The coded error of a refused answer (the server's { error } body), else an INTERNAL one naming the status. */
async function refusedAnswer(res: Response, what: string): Promise<VoxlabError> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as { error?: unknown };
    if (body.error !== undefined) {
      const e = VoxlabError.fromJSON(body.error);
      return new VoxlabError(e.code, e.message, { ...e.details, status: res.status });
    }
  } catch {
    // not JSON: described below
  }
  return new VoxlabError('INTERNAL', `${what}: HTTP ${res.status} ${res.statusText}: ${text.slice(0, 200)}`, { status: res.status });
}

async function post(doFetch: Fetch, path: string, body: unknown, what: string): Promise<Response> {
  try {
    return await doFetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch (e) {
    throw new VoxlabError('IO_ERROR', `${what}: cannot reach the voxlab server: ${(e as Error).message}`, undefined, { cause: e });
  }
}

/**
 * Signs this browser in with a personal token (surrounding whitespace dropped). Throws BAD_ARGUMENT for a
 * blank token (nothing is sent), UNAUTHENTICATED (401: wrong, disabled or rotated), RATE_LIMITED (429, with
 * details.retryAfterS), IO_ERROR when the server cannot be reached.
 */
export async function signIn(token: string, doFetch: Fetch = (i, init) => fetch(i, init)): Promise<SignedIn> {
  const clean = token.trim();
  if (clean === '') throw new VoxlabError('BAD_ARGUMENT', 'signIn: paste your personal token first');
  const res = await post(doFetch, SIGN_IN_PATH, { token: clean }, 'signIn');
  if (!res.ok) throw await refusedAnswer(res, 'signIn');
  return (await res.json()) as SignedIn;
}

/** Ends this browser's session (the server clears the cookie). Throws like signIn when the server refuses or is away. */
export async function signOut(doFetch: Fetch = (i, init) => fetch(i, init)): Promise<void> {
  const res = await post(doFetch, SIGN_OUT_PATH, {}, 'signOut');
  if (!res.ok) throw await refusedAnswer(res, 'signOut');
}

/**
 * The server's sign-in options (GET /auth/config). An older server, a refusal or an answer of another shape
 * gives { oidc: null }: personal tokens still work, so the screen offers those.
 */
export async function authConfig(doFetch: Fetch = (i, init) => fetch(i, init)): Promise<AuthConfig> {
  try {
    const res = await doFetch(AUTH_CONFIG_PATH, { method: 'GET', credentials: 'same-origin' });
    if (!res.ok) return { oidc: null };
    const body = (await res.json()) as { oidc?: { label?: unknown; start?: unknown } | null };
    const o = body?.oidc;
    // Only a same-site path: the button must not send the reader anywhere the server did not mean.
    if (o == null || typeof o.label !== 'string' || typeof o.start !== 'string' || !/^\/[^/\\]/.test(o.start)) return { oidc: null };
    return { oidc: { label: o.label, start: o.start } };
  } catch {
    return { oidc: null }; // the token form below still works; its own errors say when the server is away
  }
}
