// The last step of the fused 3D resize in seedPreprocess: resample the two slower axes of a C-order
// array, reverse its axes (C <-> Fortran order) and apply y = x * mul + add, in one pass.

import type { AxisTable } from './axisTable.js';

/** Most (row, weight) pairs one output row can combine before the scratch lists grow. */
const MAX_PAIRS = 64;

/**
 * out[i2, m1, m0] = (sum over taps of w0[m0, t0] * w1[m1, t1] * src[idx0[m0, t0], idx1[m1, t1], i2]) * mul + add,
 * for src in C order with shape [n0, n1, n2] (table0.inSize = n0, table1.inSize = n1) and out in C order
 * with shape [n2, table1.outSize, table0.outSize]. `out` must not overlap `src`.
 *
 * One pass instead of two resampling passes and a transpose (measured ~1.6x faster on 96^3): for each
 * (m1, m0) the source rows it combines are contiguous runs along i2; the strided writes for one m1 fill
 * n2 output rows side by side, which stay in cache.
 */
export function resampleOuterReverse3d(
  src: Float32Array,
  shape: readonly [number, number, number],
  table0: AxisTable,
  table1: AxisTable,
  out: Float32Array,
  mul = 1,
  add = 0,
): void {
  const [, n1, n2] = shape;
  const m0Size = table0.outSize;
  const outStride = table1.outSize * m0Size; // out stride of i2
  let rows = new Int32Array(MAX_PAIRS);
  let weights = new Float64Array(MAX_PAIRS);
  for (let m1 = 0; m1 < table1.outSize; m1++) {
    for (let m0 = 0; m0 < m0Size; m0++) {
      let count = 0;
      for (let t0 = 0; t0 < table0.taps; t0++) {
        const w0 = table0.weight[m0 * table0.taps + t0]!;
        for (let t1 = 0; t1 < table1.taps && w0 !== 0; t1++) {
          const w1 = table1.weight[m1 * table1.taps + t1]!;
          if (w1 === 0) continue;
          if (count === rows.length) [rows, weights] = [grow(rows), grow(weights)];
          rows[count] =
            (table0.index[m0 * table0.taps + t0]! * n1 + table1.index[m1 * table1.taps + t1]!) * n2;
          weights[count++] = w0 * w1 * mul;
        }
      }
      combineRows(src, rows, weights, count, n2, out, m1 * m0Size + m0, outStride, add);
    }
  }
}

/** out[k0 + i2 * outStride] = sum_p src[rows[p] + i2] * weights[p] + add, with the common counts unrolled. */
function combineRows(
  src: Float32Array,
  rows: Int32Array,
  weights: Float64Array,
  count: number,
  n2: number,
  out: Float32Array,
  k0: number,
  outStride: number,
  add: number,
): void {
  const r0 = rows[0]!;
  const r1 = rows[1]!;
  const r2 = rows[2]!;
  const r3 = rows[3]!;
  const a = weights[0]!;
  const b = weights[1]!;
  const c = weights[2]!;
  const d = weights[3]!;
  if (count === 4) {
    for (let i2 = 0, k = k0; i2 < n2; i2++, k += outStride) {
      out[k] = src[r0 + i2]! * a + src[r1 + i2]! * b + src[r2 + i2]! * c + src[r3 + i2]! * d + add;
    }
  } else if (count === 2) {
    for (let i2 = 0, k = k0; i2 < n2; i2++, k += outStride)
      out[k] = src[r0 + i2]! * a + src[r1 + i2]! * b + add;
  } else if (count === 1) {
    for (let i2 = 0, k = k0; i2 < n2; i2++, k += outStride) out[k] = src[r0 + i2]! * a + add;
  } else {
    for (let i2 = 0, k = k0; i2 < n2; i2++, k += outStride) {
      let acc = 0;
      for (let p = 0; p < count; p++) acc += src[rows[p]! + i2]! * weights[p]!;
      out[k] = acc + add;
    }
  }
}

function grow<T extends Int32Array | Float64Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(a.length * 2);
  b.set(a);
  return b;
}
