// The sign-in screen's sentences (issue #13): why a pasted token was refused and what to do, and why the
// page is back at the sign-in screen after a call was refused mid-session. Pure: tested without a page.

import { describeError } from './describeError.js';
import { isUnreachable } from './unreachable.js';

type Coded = { code?: unknown; message?: unknown; details?: { retryAfterS?: unknown } };

const codeOf = (e: unknown): unknown => (typeof e === 'object' && e !== null ? (e as Coded).code : undefined);

/** True when `e` says this page must sign in (again): no, a wrong or an ended session, or too many failures. */
export function needsSignIn(e: unknown): boolean {
  const code = codeOf(e);
  return code === 'UNAUTHENTICATED' || code === 'RATE_LIMITED';
}

/** "42 s" from a RATE_LIMITED error's details, else "a minute". */
function waitOf(e: unknown): string {
  const s = (e as Coded).details?.retryAfterS;
  return typeof s === 'number' && Number.isFinite(s) && s > 0 ? `${Math.ceil(s)} s` : 'a minute';
}

/** Why a sign-in with a pasted token failed, and what to do, in words. */
export function signInProblem(e: unknown): string {
  switch (codeOf(e)) {
    case 'BAD_ARGUMENT':
      return 'Paste your personal token first: an admin gives it to you (voxlab users add).';
    case 'UNAUTHENTICATED':
      return 'That token was not accepted: it is wrong, or its account was disabled or its token replaced. Paste the whole token again, or ask an admin for a new one.';
    case 'RATE_LIMITED':
      return `Too many failed sign-ins from this computer: wait ${waitOf(e)} and try again.`;
    default:
      if (isUnreachable(e)) return 'The voxlab server cannot be reached: check that it runs and that this is its address, then try again.';
      return describeError(e);
  }
}

/** Why the page went back to the sign-in screen after the server refused a call of the open app. */
export function sessionEndedMessage(e: unknown): string {
  if (codeOf(e) === 'RATE_LIMITED') return `Too many failed sign-ins from this computer: wait ${waitOf(e)}, then sign in again.`;
  return 'You were signed out: the server no longer accepts your session (your account was disabled, your token replaced, or the session expired). Sign in again with your current personal token, or ask an admin.';
}
