// Class labeling through the core: load the open image's label and history, set a label (saved at once,
// with the version we saw so a concurrent change is reported, not overwritten), and undo.

import type { ClassLabelVersion } from '../../../core/api/index.js';
import { core } from '../../api/core.js';
import { describeError } from '../../api/describeError.js';
import { useLabelStore } from '../../stores/useLabelStore.js';
import { useStudyStore } from '../../stores/useStudyStore.js';

export async function loadLabel(imageId: string): Promise<void> {
  const api = core();
  try {
    const [current, history] = await Promise.all([api.labels.get({ imageId }), api.labels.history({ imageId })]);
    if (useStudyStore.getState().selectedId === imageId) useLabelStore.getState().setLoaded(imageId, current, history);
  } catch (e) {
    useLabelStore.getState().setProblem(describeError(e));
  }
}

async function write(imageId: string, label: string | null, expectedVersion: number, note?: string): Promise<ClassLabelVersion | null> {
  const store = useLabelStore.getState();
  store.setSaving(true);
  store.setProblem(null);
  try {
    const saved = await core().labels.set({ imageId, label, author: store.author, expectedVersion, ...(note !== undefined ? { note } : {}) });
    const image = await core().datastore.image({ imageId });
    useStudyStore.getState().updateImage(image);
    return saved;
  } catch (e) {
    useLabelStore.getState().setProblem(describeError(e));
    return null;
  } finally {
    useLabelStore.getState().setSaving(false);
    await loadLabel(imageId);
  }
}

/** Sets the class label of the open image; pushes an undo step when the core accepted it. */
export async function setClassLabel(imageId: string, label: string | null): Promise<void> {
  const { current } = useLabelStore.getState();
  const known = current !== null && current.imageId === imageId ? current : await core().labels.get({ imageId });
  if (known.label === label && known.pendingConflicts.length === 0) return; // re-setting settles a conflict
  const saved = await write(imageId, label, known.version);
  if (saved !== null && !saved.conflict) useLabelStore.getState().pushUndo({ imageId, previous: known.label, version: saved.version });
}

/** Undoes this session's last label change (writes the previous label back as a new version). */
export async function undoLabel(): Promise<void> {
  const change = useLabelStore.getState().popUndo();
  if (change === null) return;
  await write(change.imageId, change.previous, change.version, 'undo');
}
