// Separable resampling of a C-order array: one 1-D pass (resampleAxis) per axis with a precomputed
// AxisTable, no transposes.

import type { AxisTable } from './axisTable.js';
import { resampleAxis } from './resampleAxis.js';
import { numel } from './tensor.js';

/**
 * Resamples `data` (C order, shape `shape`) along every axis d with tables[d] (null: axis unchanged;
 * tables[d].inSize must equal shape[d]). Returns a new array with shape[d] replaced by tables[d].outSize.
 * Shrinking axes go first, so later passes touch fewer values; the result does not depend on the
 * order beyond float32 rounding. Intermediates are float32, like PyTorch's float kernels.
 */
export function resampleSeparable(
  data: Float32Array,
  shape: readonly number[],
  tables: readonly (AxisTable | null)[],
): Float32Array {
  const current = [...shape];
  const axes = tables
    .map((t, d) => ({ t, d }))
    .filter((a): a is { t: AxisTable; d: number } => a.t !== null)
    .sort((a, b) => a.t.outSize / a.t.inSize - b.t.outSize / b.t.inSize);
  let out = data;
  for (const { t, d } of axes) {
    const outer = numel(current.slice(0, d));
    const inner = numel(current.slice(d + 1));
    out = resampleAxis(out, outer, current[d]!, inner, t);
    current[d] = t.outSize;
  }
  return out === data ? data.slice() : out;
}
