// Who a call runs as (issue #13), for both transports. A study without accounts is a local desktop study:
// every call runs as the implicit local user (role admin), as before accounts existed. Over HTTP a study
// with accounts needs a personal token or a browser session on every call; `voxlab serve`'s own token (the
// person who started the server, who owns the study's files anyway) still runs as the local user. Over IPC
// (the desktop app on a study folder on this machine) a call without a token is the local user; with an
// account's token it runs as that account.
// Tokens and sessions are looked up on every call, so disabling or rotating takes effect at once.

import type { Caller } from '../api/index.js';
import { VoxlabError } from '../common/errors.js';
import { accountForSession, accountForToken, hasAccounts } from '../datastore/accounts.js';
import type { Study } from '../datastore/index.js';
import { sameSecret } from './security.js';

/** The implicit local user. */
export const LOCAL_CALLER: Caller = { name: 'local', role: 'admin', kind: 'local' };

/** What a request presents. */
export interface Credentials {
  /** A personal token (X-Voxlab-Token / Bearer), or the server's own token. */
  readonly token?: string | null;
  /** A browser session id (cookie). */
  readonly session?: string | null;
  /** The server's own token (HTTP only; absent over IPC). */
  readonly serveToken?: string;
}

/**
 * The caller for `credentials`: the local user for a study without accounts or the server's own token,
 * else the account of a valid token or session. Throws UNAUTHENTICATED (no or invalid credentials).
 */
export function resolveCaller(study: Study, credentials: Credentials): Caller {
  const { token, session, serveToken } = credentials;
  if (serveToken !== undefined && typeof token === 'string' && sameSecret(token, serveToken)) return LOCAL_CALLER;
  const presented = (typeof token === 'string' && token !== '') || (typeof session === 'string' && session !== '');
  // Over IPC (no server token) the caller is the desktop app's user, who owns the study folder: the local
  // user unless they present an account's token (then that account, checked like over HTTP).
  if (serveToken === undefined && !presented) return LOCAL_CALLER;
  if (!hasAccounts(study)) {
    if (serveToken === undefined) return LOCAL_CALLER;
    throw unauthenticated();
  }
  const account =
    (typeof token === 'string' && token !== '' ? accountForToken(study, token) : null) ??
    (typeof session === 'string' && session !== '' ? accountForSession(study, session) : null);
  if (account === null) throw unauthenticated(typeof token === 'string' || typeof session === 'string');
  return { name: account.name, role: account.role, kind: 'account' };
}

function unauthenticated(presented = false): VoxlabError {
  return new VoxlabError(
    'UNAUTHENTICATED',
    presented
      ? 'This token or session is not valid (wrong, disabled, rotated or expired): sign in again with your current personal token'
      : 'Sign in first: this study has accounts, so every call needs your personal token (ask an admin: voxlab users add)',
  );
}
