// What the SEG tests check about one exported SEG, gathered in one place: dciodvfy's verdict, the read-back
// labelmap against the painted one, and each frame against the source image it references.

import type { SeriesRefs } from '../refs.js';
import { readSeg, type SegInfo } from '../seg/readSeg.js';
import { segToLabelmap } from '../seg/segToLabelmap.js';
import { dciodvfy, type Validation } from './dciodvfy.js';
import type { ConvertedVolume } from './sourceSeries.js';

export interface SegReport {
  readonly info: SegInfo;
  readonly validation: Validation;
  /** Voxels where the read-back labelmap differs from the painted one. */
  readonly differences: number;
  /** Frames whose referenced SOP Instance UID (and frame) is not an image of the source series. */
  readonly unknownReferences: number;
  /** Largest distance between a frame's Image Position and its referenced image's, mm. */
  readonly worstPositionMm: number;
  /** Largest difference between a frame's Image Orientation and its referenced image's (per component). */
  readonly worstOrientation: number;
}

/** Checks `bytes` (a SEG of `labelmap` on `volume`) against the source series `refs`. */
export function segReport(
  bytes: Uint8Array,
  labelmap: Uint8Array,
  volume: ConvertedVolume,
  refs: SeriesRefs,
): SegReport {
  const info = readSeg(bytes);
  const back = segToLabelmap(bytes, volume.dims, volume.affine);
  let differences = 0;
  for (let i = 0; i < back.length; i++) if (back[i] !== labelmap[i]) differences++;
  const key = (uid: string | null, frame: number | null) => `${uid}#${frame ?? ''}`;
  const images = new Map(refs.instances.map((i) => [key(i.sopInstanceUid, i.frameNumber), i]));
  let [unknownReferences, worstPositionMm, worstOrientation] = [0, 0, 0];
  for (const frame of info.frames) {
    const image = images.get(key(frame.referencedSopInstanceUid, frame.referencedFrameNumber));
    if (image === undefined || image.position === null || image.orientation === null) {
      unknownReferences++;
      continue;
    }
    worstPositionMm = Math.max(
      worstPositionMm,
      Math.hypot(...frame.position.map((v, i) => v - image.position![i]!)),
    );
    worstOrientation = Math.max(
      worstOrientation,
      ...frame.orientation.map((v, i) => Math.abs(v - image.orientation![i]!)),
    );
  }
  return {
    info,
    validation: dciodvfy(bytes),
    differences,
    unknownReferences,
    worstPositionMm,
    worstOrientation,
  };
}
