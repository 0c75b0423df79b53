// Labelmaps through the core: load the open scan's labelmap (or start empty), save after every edit (a
// stroke, a fill, a restore, an undo or redo: each saved as a new version with a note saying what it was,
// so nothing painted is lost on a reload or a crash), undo and redo with what they did in words, and fill
// between slices.

import { isVoxlabErrorLike } from './errorCode.js';
import { core } from '../../api/core.js';
import { describeError } from '../../api/describeError.js';
import { readerForWrite } from '../../api/identity.js';
import { useSegmentationStore } from '../../stores/useSegmentationStore.js';
import type { ViewName } from '../../stores/useViewerStore.js';
import { planeAxes } from '../../viewer/brush.js';
import { volumeViewport } from '../../viewer/cornerstone.js';
import {
  currentLabelmap,
  fileOrderLabelmap,
  lastEdit,
  installLabelmap,
  pushEdit,
  redoEdit,
  undoEdit,
  type Edit,
} from '../../viewer/labelmap.js';
import { fillBetweenSlices } from '../../viewer/segFillBetween.js';
import { loadedVolume, scanVolumeId } from '../../viewer/volumes.js';
import { describeEdit, segmentLabel } from './segWords.js';
import { refreshHistory, rememberVoxelCount } from './segHistory.js';
import { ensureSegmentSync } from './segSegments.js';

/** Loads the labelmap of the scan shown in the viewer (empty when none was saved), and the study's segments. */
export async function loadLabelmapFor(imageId: string): Promise<void> {
  const store = useSegmentationStore.getState();
  const scan = loadedVolume(scanVolumeId(imageId));
  if (scan === null) return;
  ensureSegmentSync();
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
  void refreshHistory();
}

const capitalised = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

let saving: Promise<void> = Promise.resolve();

/**
 * Saves the current labelmap as a new version with `note` (default: the newest edit in words), queued after
 * any save in flight.
 */
export function saveLabelmap(note?: string): Promise<void> {
  const last = lastEdit();
  const words =
    note ??
    (last === null ? undefined : capitalised(describeEdit(last, useSegmentationStore.getState().segments)));
  saving = saving.then(async () => {
    const store = useSegmentationStore.getState();
    const bytes = fileOrderLabelmap();
    if (store.imageId === null || bytes === null) return;
    const author = readerForWrite('to save your painting');
    if (author === null) {
      store.setProblem(
        'Not saved: enter your name first (voxlab records who painted). Your painting is still here.',
      );
      return;
    }
    store.setSaving(true);
    try {
      const saved = await core().labelmaps.save(
        {
          imageId: store.imageId,
          author,
          expectedVersion: store.version,
          ...(words !== undefined ? { note: words } : {}),
        },
        bytes,
      );
      useSegmentationStore.getState().saved(saved.version);
      // The new version's voxel count is the store's (counts per value; 0 = background): no download.
      rememberVoxelCount(store.imageId, saved.version, store.counts.slice(1).reduce((a, b) => a + b, 0));
      useSegmentationStore.getState().setProblem(null);
    } catch (e) {
      useSegmentationStore.getState().setSaving(false);
      useSegmentationStore
        .getState()
        .setProblem(`Not saved: ${describeError(e)} Your painting is still here; paint or press Save again.`);
    }
    void refreshHistory();
  });
  return saving;
}

/** Saves after an edit, the version's note saying what the edit was. */
export function saveEdit(edit: Edit, prefix = ''): Promise<void> {
  const words = describeEdit(edit, useSegmentationStore.getState().segments);
  return saveLabelmap(prefix === '' ? capitalised(words) : `${prefix} ${words}`);
}

/** Undoes the last edit of the open scan and saves; returns what was undone in words, or null when nothing was. */
export function undoPaint(): string | null {
  const edit = undoEdit();
  if (edit === null) return null;
  void saveEdit(edit, 'Undid');
  const text = `Undid ${describeEdit(edit, useSegmentationStore.getState().segments)}`;
  useSegmentationStore.getState().setNotice(text);
  return text;
}

/** Redoes the last undone edit and saves; returns what was redone in words, or null when nothing was. */
export function redoPaint(): string | null {
  const edit = redoEdit();
  if (edit === null) return null;
  void saveEdit(edit, 'Redid');
  const text = `Redid ${describeEdit(edit, useSegmentationStore.getState().segments)}`;
  useSegmentationStore.getState().setNotice(text);
  return text;
}

/** The grid axis across the slices of `view` (0, 1 or 2), or null before a volume is shown. */
function sliceAxis(view: ViewName): 0 | 1 | 2 | null {
  const lm = currentLabelmap();
  const normal = volumeViewport(view)?.getCamera().viewPlaneNormal;
  if (lm === null || normal === undefined) return null;
  const [a, b] = planeAxes(lm.geometry.direction, normal as unknown as [number, number, number]);
  return (3 - a - b) as 0 | 1 | 2;
}

/**
 * Fills the active segment between its painted slices of `view` (one undoable edit, saved as one version).
 * Says in the panel when there was nothing to fill.
 */
export async function fillBetween(view: ViewName): Promise<void> {
  const store = useSegmentationStore.getState();
  const lm = currentLabelmap();
  const axis = sliceAxis(view);
  if (lm === null || axis === null) return store.setProblem('Open a scan first.');
  if (store.preview !== null)
    return store.setProblem('Close the version preview first: fill works on the current labelmap.');
  const value = store.label;
  const patch = fillBetweenSlices(lm.data, lm.geometry.dimensions, lm.geometry.spacing, axis, value);
  const name = segmentLabel(store.segments, value);
  if (patch.index.length === 0) {
    store.setNotice(null);
    return store.setProblem(
      `Nothing to fill: paint ${name} on two ${view} slices with unpainted slices between them.`,
    );
  }
  store.setProblem(null);
  const edit = pushEdit({ patch, what: `fill between ${view} slices`, value });
  store.setNotice(`Filled between ${view} slices: ${patch.index.length} voxels of ${name}.`);
  await saveEdit(edit);
}
