// The open labelmap: file order in and out (a PSR file, reordered to the LPS grid), strokes with a sphere
// across slices, replacing the whole labelmap (a restore) as one undoable edit, voxel counts, and a preview
// that is drawn but never painted on.

import { beforeEach, describe, expect, it } from 'vitest';
import type { VolumeMeta } from '../../core/api/index.js';
import { useSegmentationStore } from '../stores/useSegmentationStore.js';
import { cornerstoneGeometry } from './geometry.js';
import {
  currentLabelmap,
  displayedLabelmap,
  endStroke,
  fileOrderLabelmap,
  installLabelmap,
  lastEdit,
  paintAt,
  redoEdit,
  replaceLabelmap,
  setPreviewData,
  toGridOrder,
  undoEdit,
} from './labelmap.js';

/** A 6 x 5 x 4 file in PSR order (i to Posterior, j to Superior, k to Right; IXI's layout), 2 mm voxels. */
const shape = [6, 5, 4] as const;
const affine = [0, 0, 2, -4, -2, 0, 0, 5, 0, 2, 0, -4, 0, 0, 0, 1];
const meta = {
  imageId: 'x',
  shape,
  affine,
  axcodes: 'PSR',
  dtype: 'float32',
  frame: 0,
  frames: 1,
  pixdim: [2, 2, 2],
} as unknown as VolumeMeta;
const geometry = cornerstoneGeometry(shape, affine);

function fileVolume(fill: (i: number, j: number, k: number) => number): Uint8Array {
  const out = new Uint8Array(6 * 5 * 4);
  for (let k = 0; k < 4; k++)
    for (let j = 0; j < 5; j++) for (let i = 0; i < 6; i++) out[i + 6 * (j + 5 * k)] = fill(i, j, k);
  return out;
}

/** World LPS mm of grid voxel (i, j, k). */
function world(i: number, j: number, k: number): [number, number, number] {
  const d = geometry.direction;
  const s = geometry.spacing;
  return [0, 1, 2].map(
    (r) => geometry.origin[r]! + i * s[0] * d[r]! + j * s[1] * d[3 + r]! + k * s[2] * d[6 + r]!,
  ) as [number, number, number];
}

beforeEach(() => {
  useSegmentationStore.getState().reset();
  installLabelmap('x', meta, geometry, null);
});

describe('labelmap', () => {
  it('round-trips file order through the grid', () => {
    const file = fileVolume((i, j, k) => (i + 2 * j + 3 * k) % 7);
    installLabelmap('x', meta, geometry, file);
    expect(Array.from(fileOrderLabelmap()!)).toEqual(Array.from(file));
    expect(Array.from(toGridOrder(file))).toEqual(Array.from(currentLabelmap()!.data));
    expect(() => toGridOrder(new Uint8Array(3))).toThrow(/3 bytes for shape \[6, 5, 4\]/);
    expect(useSegmentationStore.getState().counts[0]).toBe(file.filter((v) => v === 0).length);
  });

  it('paints a sphere stroke across slices, undoes and redoes it, and counts voxels', () => {
    useSegmentationStore.setState({ tool: 'brush', sphere: true, radiusMm: 2, label: 4 });
    paintAt(world(2, 2, 2), [0, 0, 1], 'coronal');
    const edit = endStroke();
    expect(edit?.what).toBe('a sphere brush stroke');
    expect(edit?.patch.index.length).toBe(7); // centre + 6 face neighbours at 2 mm
    expect(useSegmentationStore.getState().counts[4]).toBe(7);
    expect(useSegmentationStore.getState().lastView).toBe('coronal');
    expect(lastEdit()).toBe(edit);
    expect(undoEdit()).toBe(edit);
    expect(useSegmentationStore.getState().counts[4]).toBe(0);
    expect(redoEdit()).toBe(edit);
    expect(useSegmentationStore.getState().counts[4]).toBe(7);
    expect(redoEdit()).toBeNull();
  });

  it('restores an older version as one undoable edit, and refuses an identical one', () => {
    const older = fileVolume((i) => (i < 2 ? 3 : 0));
    useSegmentationStore.setState({ tool: 'brush', sphere: false, radiusMm: 1, label: 1 });
    paintAt(world(4, 2, 1), [0, 0, 1]);
    endStroke();
    const painted = fileOrderLabelmap()!.slice();
    const edit = replaceLabelmap(toGridOrder(older), 'the restore of version 1');
    expect(edit?.patch.index.length).toBe(
      older.filter((v) => v !== 0).length + painted.filter((v) => v !== 0).length,
    );
    expect(Array.from(fileOrderLabelmap()!)).toEqual(Array.from(older));
    expect(replaceLabelmap(toGridOrder(older), 'again')).toBeNull();
    undoEdit();
    expect(Array.from(fileOrderLabelmap()!)).toEqual(Array.from(painted));
  });

  it('draws a preview instead of the labelmap, and paints nothing while previewing', () => {
    expect(displayedLabelmap()).toBeNull(); // empty: nothing to draw
    const shown = toGridOrder(fileVolume(() => 2));
    setPreviewData(shown);
    expect(displayedLabelmap()).toBe(shown);
    useSegmentationStore.setState({ tool: 'brush', radiusMm: 4, label: 1 });
    paintAt(world(2, 2, 2), [0, 0, 1]);
    expect(endStroke()).toBeNull();
    setPreviewData(null);
    expect(displayedLabelmap()).toBeNull();
  });
});
