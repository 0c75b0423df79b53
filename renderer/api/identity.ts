// The one place the renderer asks who is writing. Every write (class label, labelmap, class or segment
// change, training start) takes its author from here and writes nothing when no one has said who they are.
// Signed in with an account (issue #13), the account is the author (the server overrides the field anyway)
// and nobody is asked for a name; a local study keeps the remembered reader name.

import { useIdentityStore } from '../stores/useIdentityStore.js';
import { signedInAccount } from '../stores/useSessionStore.js';

/** The signed-in account's name, else the reader's name, or null when nobody has entered one (callers then must not write). */
export function currentReader(): string | null {
  return signedInAccount()?.name ?? useIdentityStore.getState().reader;
}

/**
 * The reader's name for a write; when there is none, opens the "who is reading?" dialog with `what` as the
 * reason (e.g. "to save the label") and returns null: the caller writes nothing. Never asks while signed in.
 */
export function readerForWrite(what: string): string | null {
  const reader = currentReader();
  if (reader === null) useIdentityStore.getState().ask(`Enter your name ${what}: voxlab records who wrote every label.`);
  return reader;
}
