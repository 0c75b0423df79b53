// Test cases for the two-level column sum (core/backend/columnSum.ts): seeded matrices, summed by
// channelSum on whatever tfjs backend is active (the vitest process: wasm; the webgpu child: webgpu).

import * as tf from '@tensorflow/tfjs-core';
import { channelSum } from '../../../../model/channelAffine.js';
import { seededTensor } from '../../../../model/testing/tensors.js';

/**
 * [rows, channels, lo, hi]: values uniform in [lo, hi). 65,536 rows (a batch of 2 at 32^3: blocks of 256)
 * of positive values, where one float32 run of additions loses ~1e-5 of the sum; rows with an odd
 * divisor (3 * 4,096: blocks of 96); a prime count (one level); 2 rows (a BatchNorm at 1^3).
 */
export const COLUMN_SUM_CASES = [
  [65_536, 8, 0.5, 1.5],
  [12_288, 5, -1, 1],
  [4_099, 3, 0.5, 1.5],
  [2, 6, -1, 1],
] as const;

/** The matrix of case i, seeded (the same values in every process). */
export function columnSumMatrix(i: number): tf.Tensor2D {
  const [rows, channels, lo, hi] = COLUMN_SUM_CASES[i]!;
  return seededTensor([rows, channels], 100 + i, lo, hi) as tf.Tensor2D;
}

/** channelSum(matrix, 1) of every case on the active backend. */
export async function columnSums(): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (let i = 0; i < COLUMN_SUM_CASES.length; i++) {
    const m = columnSumMatrix(i);
    const sum = channelSum(m, 1);
    out.push(Float32Array.from(await sum.data()));
    tf.dispose([m, sum]);
  }
  return out;
}
