// Who this page runs as on the server (issue #13): the caller of auth.whoami (an account with its role, or
// the implicit local user), whether the study has accounts, and where the page stands: checking, asking for
// a personal token (the sign-in screen, with why), or showing the app. Fed by renderer/features/session.

import { create } from 'zustand';
import type { Caller } from '../../core/api/index.js';

/** checking: whoami is on its way; signIn: the sign-in screen; ready: the app. */
export type SessionPhase = 'checking' | 'signIn' | 'ready';

export interface SessionState {
  readonly phase: SessionPhase;
  /** The caller the server answered; null while unknown (an older server, or not signed in). */
  readonly caller: Caller | null;
  /** The study has accounts (every call must be signed in). */
  readonly accounts: boolean;
  /** Why the sign-in screen is shown, in words (signed out, session ended); null at a first visit. */
  readonly message: string | null;
  /** The app has been on screen in this page (a later sign-in reloads the page for a clean start). */
  readonly appShown: boolean;
  /** The app is on screen as `caller` (null: unknown, runs as before accounts). */
  ready(caller: Caller | null, accounts: boolean): void;
  /** Shows the sign-in screen, saying `message` (null: nothing to explain). */
  needSignIn(message: string | null): void;
  /** Marks the app as shown in this page. */
  markAppShown(): void;
  reset(): void;
}

const INITIAL = { phase: 'checking', caller: null, accounts: false, message: null, appShown: false } as const satisfies Partial<SessionState>;

export const useSessionStore = create<SessionState>()((set) => ({
  ...INITIAL,
  ready: (caller, accounts) => set({ phase: 'ready', caller, accounts, message: null }),
  needSignIn: (message) => set({ phase: 'signIn', caller: null, message }),
  markAppShown: () => set({ appShown: true }),
  reset: () => set(INITIAL),
}));

/** True when the page runs as a signed-in account (its name is the author of every write). */
export function signedInAccount(s: Pick<SessionState, 'caller'> = useSessionStore.getState()): Caller | null {
  return s.caller !== null && s.caller.kind === 'account' ? s.caller : null;
}
