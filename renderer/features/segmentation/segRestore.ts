// Restoring an older labelmap version: its voxels become a NEW version (history is never rewritten), as one
// undoable edit whose note says which version it restores.

import type { LabelmapVersion } from '../../../core/api/index.js';
import { describeError } from '../../api/describeError.js';
import { useSegmentationStore } from '../../stores/useSegmentationStore.js';
import { replaceLabelmap, toGridOrder } from '../../viewer/labelmap.js';
import { saveLabelmap } from './segActions.js';
import { closePreview, versionBytes } from './segHistory.js';

/** What a restore of `version` will do, or why it cannot (in words). `current` is the open version. */
export type RestorePlan =
  { readonly ok: true; readonly note: string } | { readonly ok: false; readonly problem: string };

/** Checks a restore of `version` against the scan's `history` and its current version `current`. */
export function planRestore(
  history: readonly LabelmapVersion[],
  version: number,
  current: number,
): RestorePlan {
  const found = history.find((v) => v.version === version);
  if (found === undefined)
    return { ok: false, problem: `Version ${version} is not in this scan's labelmap history.` };
  if (version === current)
    return { ok: false, problem: `Version ${version} is the current labelmap already: nothing to restore.` };
  return { ok: true, note: `Restored version ${version} (by ${found.author})` };
}

/** Restores `version`: the current labelmap becomes its voxels, saved as a new version; undoable. */
export async function restoreVersion(version: number): Promise<void> {
  const store = useSegmentationStore.getState();
  if (store.imageId === null) return;
  const plan = planRestore(store.history, version, store.version);
  if (!plan.ok) return store.setProblem(plan.problem);
  try {
    const grid = toGridOrder(await versionBytes(store.imageId, version));
    closePreview();
    const edit = replaceLabelmap(grid, `the restore of version ${version}`);
    if (edit === null)
      return store.setNotice(
        `Version ${version} has the same voxels as the current labelmap: nothing to restore.`,
      );
    store.setProblem(null);
    store.setNotice(
      `Restored version ${version} (${edit.patch.index.length} voxels changed); saving it as a new version.`,
    );
    await saveLabelmap(plan.note);
  } catch (e) {
    store.setProblem(`Could not restore version ${version}: ${describeError(e)}`);
  }
}
