// The one place the renderer asks who is writing. Every write (class label, labelmap, class or segment
// change, training start) takes its author from here and writes nothing when no one has said who they are.

import { useIdentityStore } from '../stores/useIdentityStore.js';

/** The reader's name, or null when nobody has entered one (callers then must not write). */
export function currentReader(): string | null {
  return useIdentityStore.getState().reader;
}

/**
 * The reader's name for a write; when there is none, opens the "who is reading?" dialog with `what` as the
 * reason (e.g. "to save the label") and returns null: the caller writes nothing.
 */
export function readerForWrite(what: string): string | null {
  const reader = currentReader();
  if (reader === null) useIdentityStore.getState().ask(`Enter your name ${what}: voxlab records who wrote every label.`);
  return reader;
}
