// Signing in and out of a team study served over HTTP (issue #13): ask the server who this page runs as
// (auth.whoami), show the sign-in screen when it needs a personal token, trade the pasted token for a
// session, and sign out. Under the desktop app (IPC) and for local studies nothing changes.

import { core } from '../../api/core.js';
import { signIn, signOut } from '../../api/signIn.js';
import { needsSignIn, sessionEndedMessage, signInProblem } from '../../api/signInWords.js';
import { transportKind } from '../../api/transportKind.js';
import { useSessionStore } from '../../stores/useSessionStore.js';

/**
 * Asks the server who this page runs as: the app starts as that caller; over HTTP a study with accounts
 * and no valid session shows the sign-in screen. Any other failure (an older server without auth.whoami,
 * a server away) starts the app as before accounts: its connection light and messages say what is wrong.
 */
export async function checkSession(): Promise<void> {
  const store = useSessionStore.getState();
  try {
    const who = await core().auth.whoami();
    store.ready({ name: who.name, role: who.role, kind: who.kind }, who.accounts);
  } catch (e) {
    if (transportKind() === 'http' && needsSignIn(e))
      store.needSignIn(e !== null && (e as { code?: unknown }).code === 'RATE_LIMITED' ? sessionEndedMessage(e) : store.message);
    else store.ready(null, false);
  }
}

/**
 * Signs in with a pasted personal token. Returns the problem in words (nothing changes), or null once
 * signed in: the app starts, or, when an app was on screen earlier in this page (signed out, session ended),
 * the page reloads so nothing of the earlier account's view is left.
 */
export async function submitToken(
  token: string,
  reload: () => void = () => (globalThis as unknown as { location: { reload(): void } }).location.reload(),
): Promise<string | null> {
  try {
    await signIn(token);
  } catch (e) {
    return signInProblem(e);
  }
  if (useSessionStore.getState().appShown) {
    reload();
    return null;
  }
  await checkSession();
  const s = useSessionStore.getState();
  // Signed in, yet the next call was refused: a cookie the browser did not keep (private mode, blocked cookies).
  return s.phase === 'signIn' ? 'Signed in, but the browser did not keep the session cookie: allow cookies for this site and try again.' : null;
}

/** Signs out (the server ends the session and clears its cookie) and shows the sign-in screen. Returns a problem in words, or null. */
export async function signOutNow(): Promise<string | null> {
  try {
    await signOut();
  } catch (e) {
    return signInProblem(e);
  }
  useSessionStore.getState().needSignIn('You signed out. Paste a personal token to sign in again.');
  return null;
}
