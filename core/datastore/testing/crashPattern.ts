// What the crash test's writer writes, shared by the writer (child process) and the test that checks it:
// a labelmap is fully determined by its salt, so the test can tell a complete file from a torn one.

import { toAffine } from '../../common/spaces.js';
import type { LabelmapInput } from '../labelmaps.js';

/** Labelmap grid of the crash test: small, so that many writes fit between kills. */
export const CRASH_SHAPE = [16, 16, 16] as const;

/** The labelmap written with `salt`: voxel n holds (n * 7 + salt) % 5 (a pattern a torn write cannot fake). */
export function crashLabelmap(salt: number): LabelmapInput {
  const n = CRASH_SHAPE[0] * CRASH_SHAPE[1] * CRASH_SHAPE[2];
  return {
    shape: CRASH_SHAPE,
    data: Uint8Array.from({ length: n }, (_, k) => (k * 7 + salt) % 5),
    affine: toAffine([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]),
  };
}

/** One acknowledged write, as the writer prints it (one JSON object per line) after the call returned. */
export type CrashAck =
  | { readonly kind: 'loaded' }
  | { readonly kind: 'ready' }
  | { readonly kind: 'class'; readonly id: string; readonly version: number; readonly label: string; readonly conflict: boolean }
  | { readonly kind: 'seg'; readonly id: string; readonly version: number; readonly salt: number };
