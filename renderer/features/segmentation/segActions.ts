// Labelmaps through the core: load the open scan's labelmap (or start empty), save after every stroke,
// undo and redo (each saved as a new version, so nothing painted is lost on a reload or a crash).

import { isVoxlabErrorLike } from './errorCode.js';
import { core } from '../../api/core.js';
import { describeError } from '../../api/describeError.js';
import { useLabelStore } from '../../stores/useLabelStore.js';
import { useSegmentationStore } from '../../stores/useSegmentationStore.js';
import { fileOrderLabelmap, installLabelmap, redoStroke, undoStroke } from '../../viewer/labelmap.js';
import { loadedVolume, scanVolumeId } from '../../viewer/volumes.js';

/** Loads the labelmap of the scan shown in the viewer (empty when none was saved). */
export async function loadLabelmapFor(imageId: string): Promise<void> {
  const store = useSegmentationStore.getState();
  const scan = loadedVolume(scanVolumeId(imageId));
  if (scan === null) return;
  try {
    const answer = await core()
      .labelmaps.get({ imageId })
      .catch((e: unknown) => {
        if (isVoxlabErrorLike(e, 'NOT_FOUND')) return null;
        throw e;
      });
    installLabelmap(imageId, scan.meta, scan.geometry, answer === null ? null : new Uint8Array(answer.data));
    store.loaded(imageId, answer?.meta.version ?? 0);
  } catch (e) {
    installLabelmap(imageId, scan.meta, scan.geometry, null);
    store.loaded(imageId, 0);
    store.setProblem(`Could not load the labelmap: ${describeError(e)}`);
  }
}

let saving: Promise<void> = Promise.resolve();

/** Saves the current labelmap as a new version (queued after any save in flight). */
export function saveLabelmap(): Promise<void> {
  saving = saving.then(async () => {
    const store = useSegmentationStore.getState();
    const bytes = fileOrderLabelmap();
    if (store.imageId === null || bytes === null) return;
    store.setSaving(true);
    try {
      const saved = await core().labelmaps.save(
        { imageId: store.imageId, author: useLabelStore.getState().author, expectedVersion: store.version },
        bytes,
      );
      useSegmentationStore.getState().saved(saved.version);
      useSegmentationStore.getState().setProblem(null);
    } catch (e) {
      useSegmentationStore.getState().setSaving(false);
      useSegmentationStore.getState().setProblem(`Not saved: ${describeError(e)} Your painting is still here; paint or press Save again.`);
    }
  });
  return saving;
}

export function undoPaint(): void {
  if (undoStroke()) void saveLabelmap();
}

export function redoPaint(): void {
  if (redoStroke()) void saveLabelmap();
}
