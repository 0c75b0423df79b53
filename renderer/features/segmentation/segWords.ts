// Segmentation edits and segments in words, for the undo / redo notices and the saved versions' notes.

import type { SegmentInfo } from '../../../core/api/index.js';
import type { Edit } from '../../viewer/labelmap.js';

/** "segment 'lesion'" for a named value, "segment 3" otherwise. */
export function segmentLabel(segments: readonly SegmentInfo[], value: number): string {
  const named = segments.find((s) => s.value === value);
  return named === undefined ? `segment ${value}` : `segment '${named.name}'`;
}

/** E.g. "a brush stroke (segment 'lesion', 37 voxels)"; the eraser and restores name no segment. */
export function describeEdit(
  edit: Pick<Edit, 'what' | 'value' | 'patch'>,
  segments: readonly SegmentInfo[],
): string {
  const voxels = `${edit.patch.index.length} voxel${edit.patch.index.length === 1 ? '' : 's'}`;
  return edit.value === 0
    ? `${edit.what} (${voxels})`
    : `${edit.what} (${segmentLabel(segments, edit.value)}, ${voxels})`;
}
