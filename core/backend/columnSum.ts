// Column sums of a [rows, channels] matrix in two levels (BatchNorm's per-channel sums, issue #12): rows in
// blocks of `chunk`, each block summed in order, then the block sums in order. A float32 sum of n values in
// one run has a rounding error growing with n (Higham 2002, §4.2: bound (n - 1) u sum|x|, typically
// sqrt(n) u); two levels of about sqrt(n) each bring that to about 2 sqrt(n) u, e.g. 512 instead of 65,536
// additions in a row for a batch of 2 at 32^3. Measured on the small DenseNet at 32^3 against a float64
// PyTorch reference: one-run sums left the training gradients 2.2e-4 (wasm) and 2.9e-4 (webgpu) off
// norm-wise, 2x PyTorch's float32 (1.2e-4; its CPU BatchNorm accumulates in double); exact sums, 1.1e-4.

/** The kernel name of the two-level column sum on backends that have one (webgpu: kernels/columnSum.ts). */
export const COLUMN_SUM_KERNEL = 'VoxlabColumnSum';

/** Attributes of COLUMN_SUM_KERNEL: rows per block of the first level. */
export interface ColumnSumAttrs {
  readonly chunk: number;
}

/**
 * The block length for summing `rows` values: the largest divisor of rows not above sqrt(rows), so the
 * blocks tile the rows exactly (a [blocks, chunk, channels] reshape needs that), or rows itself when that
 * divisor is 1 (a prime count: one level, as before). Then blocks = rows / chunk >= chunk.
 */
export function columnSumChunk(rows: number): number {
  if (!Number.isInteger(rows) || rows < 1)
    throw new RangeError(`columnSumChunk: rows ${rows} is not a positive integer`);
  for (let d = Math.floor(Math.sqrt(rows)); d > 1; d--) if (rows % d === 0) return d;
  return rows;
}
