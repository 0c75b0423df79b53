// Reverses the axes of a 3D C-order array (a full transpose), optionally applying y = x * mul + add on
// the way. Converts between NIfTI's Fortran voxel order and the C order of tensors, cache-blocked.

/** Tile edge: 8 x 8 float tiles; measured ~2x faster than 16-wide strips on a 96^3 array in V8. */
const TILE = 8;

/**
 * out[i2, i1, i0] = src[i0, i1, i2] * mul + add, for src in C order with shape [n0, n1, n2] and out in
 * C order with shape [n2, n1, n0]. A Fortran-order [nx, ny, nz] array is a C-order [nz, ny, nx] one, so
 * this turns Fortran order into C order and back. `out` must not overlap `src`.
 *
 * For each i1 the (i0, i2) plane is transposed in TILE x TILE tiles, so the tile's source rows and
 * destination rows both stay in the L1 cache.
 */
export function reverseAxes3d(
  src: Float32Array,
  shape: readonly [number, number, number],
  out: Float32Array,
  mul = 1,
  add = 0,
): void {
  const [n0, n1, n2] = shape;
  const outStride = n1 * n0; // out stride of i2
  const exact = mul === 1 && add === 0; // a plain copy keeps -0 and every bit of the values
  for (let i1 = 0; i1 < n1; i1++) {
    for (let a = 0; a < n0; a += TILE) {
      const aEnd = Math.min(a + TILE, n0);
      for (let c = 0; c < n2; c += TILE) {
        const cEnd = Math.min(c + TILE, n2);
        for (let i0 = a; i0 < aEnd; i0++) {
          const s = (i0 * n1 + i1) * n2;
          let k = c * outStride + i1 * n0 + i0;
          if (exact) for (let i2 = c; i2 < cEnd; i2++, k += outStride) out[k] = src[s + i2]!;
          else for (let i2 = c; i2 < cEnd; i2++, k += outStride) out[k] = src[s + i2]! * mul + add;
        }
      }
    }
  }
}
