// Class labeling through the core: load the open image's label and history, set a label (saved at once,
// with the version we saw so a concurrent change is reported, not overwritten), and undo. Nothing is
// written for a scan that is not on screen or without a reader's name; a write that does not reach the
// core is kept as "not saved" and sent again when the connection is back (issue #10).

import type { ClassLabelVersion } from '../../../core/api/index.js';
import { core } from '../../api/core.js';
import { describeError } from '../../api/describeError.js';
import { currentReader, readerForWrite } from '../../api/identity.js';
import { refusalNow } from '../../api/permissions.js';
import { signedInAccount } from '../../stores/useSessionStore.js';
import { isUnreachable } from '../../api/unreachable.js';
import { scanOnScreen } from '../../app/scanOnScreen.js';
import { useLabelStore, type UnsavedLabel } from '../../stores/useLabelStore.js';
import { useStudyStore } from '../../stores/useStudyStore.js';

export async function loadLabel(imageId: string): Promise<void> {
  const api = core();
  try {
    const [current, history] = await Promise.all([api.labels.get({ imageId }), api.labels.history({ imageId })]);
    if (useStudyStore.getState().selectedId === imageId) useLabelStore.getState().setLoaded(imageId, current, history);
  } catch (e) {
    // Unreachable: the connection indicator says so, and an unsaved write keeps its own message.
    if (!isUnreachable(e)) useLabelStore.getState().setProblem(describeError(e));
  }
}

type Write = Omit<UnsavedLabel, 'at' | 'why'>;

/**
 * Sends one write; a write the core never received is kept as unsaved (and the reader told so) and gives
 * 'unreachable'; a refusal by the core gives null with the reason shown. `onSaved` runs once the core
 * accepted it, before the panel shows the new label (an undo step must exist by the time the reader sees it).
 */
async function send(write: Write, onSaved?: (saved: ClassLabelVersion) => void): Promise<ClassLabelVersion | 'unreachable' | null> {
  const store = useLabelStore.getState();
  store.setSaving(true);
  store.setProblem(null);
  const { imageId, label, author, expectedVersion, note } = write;
  try {
    const saved = await core().labels.set({ imageId, label, author, expectedVersion, ...(note !== undefined ? { note } : {}) });
    useLabelStore.getState().dropUnsaved(imageId);
    onSaved?.(saved);
    return saved;
  } catch (e) {
    if (!isUnreachable(e)) {
      useLabelStore.getState().dropUnsaved(imageId);
      useLabelStore.getState().setProblem(describeError(e));
      return null;
    }
    const why = 'the voxlab server could not be reached';
    useLabelStore.getState().keepUnsaved({ ...write, at: new Date().toISOString(), why });
    useLabelStore.getState().setProblem(null); // the "Not saved" box lists it, with its way forward
    return 'unreachable';
  } finally {
    useLabelStore.getState().setSaving(false);
    // The list row and the panel show what the core now holds (best effort: a failure here loses nothing).
    await core()
      .datastore.image({ imageId })
      .then((image) => useStudyStore.getState().updateImage(image))
      .catch(() => undefined);
    await loadLabel(imageId);
  }
}

/**
 * Sets the class label of the scan on screen; pushes an undo step when the core accepted it. Refuses (with
 * the reason shown) when `imageId` is not the scan whose pixels are shown, or when no reader is known.
 */
export async function setClassLabel(imageId: string, label: string | null): Promise<void> {
  const refused = refusalNow('labels.set');
  if (refused !== null) {
    useLabelStore.getState().setProblem(`Not saved: ${refused}`);
    return;
  }
  if (scanOnScreen() !== imageId) {
    useLabelStore.getState().setProblem(`Not saved: ${imageId} is not on screen. Labels can be set only on a scan you can see.`);
    return;
  }
  const author = readerForWrite('to save the label');
  if (author === null) {
    useLabelStore.getState().setProblem('Not saved: enter your name first (voxlab records who set every label).');
    return;
  }
  const { current } = useLabelStore.getState();
  const known = current !== null && current.imageId === imageId ? current : await core().labels.get({ imageId });
  if (known.label === label && known.pendingConflicts.length === 0) return; // re-setting settles a conflict
  await send({ imageId, label, author, expectedVersion: known.version }, (saved) => {
    if (!saved.conflict) useLabelStore.getState().pushUndo({ imageId, previous: known.label, label, version: saved.version });
  });
}

/**
 * Undoes this session's last label change of the scan on screen (writes the previous label back as a new
 * version). Returns what it undid in words, or null when there was nothing to undo on this scan.
 */
export async function undoLabel(): Promise<string | null> {
  const imageId = scanOnScreen();
  if (imageId === null) return null;
  const author = readerForWrite('to undo a label');
  if (author === null) return null;
  const change = useLabelStore.getState().popUndoFor(imageId);
  if (change === null) return null;
  const saved = await send({ imageId, label: change.previous, author, expectedVersion: change.version, note: 'undo' });
  if (saved === null || saved === 'unreachable') return `Could not undo the label of ${imageId}: see the label panel.`;
  return `Undid the label of ${imageId}: ${change.label ?? 'cleared'} → ${change.previous ?? 'unlabeled'}`;
}

/**
 * Sends every unsaved write again (after a reconnect); each one that reaches the core leaves the list.
 * Signed in with an account, only that account's own writes go out (the server makes the signed-in account
 * the author: another reader's write kept in this browser must not be sent under this name).
 */
export async function sendUnsaved(): Promise<void> {
  const own = (w: UnsavedLabel) => signedInAccount() === null || w.author === currentReader();
  for (const w of useLabelStore.getState().unsaved.filter(own)) {
    if ((await send(w)) === 'unreachable') return; // still away: keep the rest for the next try
  }
}
