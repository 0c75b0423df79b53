// Helpers shared by the core/synth tests: hashing, centroids, dilation and per-tissue statistics.
// Grids are [nx, ny, nz] in NIfTI/Fortran order (i fastest).

import { createHash } from 'node:crypto';

/** SHA-256 of a typed array's bytes, hex. */
export function sha256(data: ArrayBufferView): string {
  return createHash('sha256')
    .update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
    .digest('hex');
}

/** Mean voxel index (i, j, k) of the non-zero voxels of `mask`, and their count. */
export function centroid(
  mask: ArrayLike<number>,
  shape: readonly [number, number, number],
): { ijk: number[]; count: number } {
  const [nx, ny] = shape;
  let si = 0;
  let sj = 0;
  let sk = 0;
  let count = 0;
  for (let idx = 0; idx < mask.length; idx++) {
    if (mask[idx] === 0) continue;
    si += idx % nx;
    sj += Math.floor(idx / nx) % ny;
    sk += Math.floor(idx / (nx * ny));
    count++;
  }
  return { ijk: [si / count, sj / count, sk / count], count };
}

/** `mask` dilated by one voxel in the 26-neighbourhood (the reach of a 3x3x3 kernel). */
export function dilate(mask: Uint8Array, shape: readonly [number, number, number]): Uint8Array {
  const [nx, ny, nz] = shape;
  const out = new Uint8Array(mask.length);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        if (mask[i + nx * (j + ny * k)] === 0) continue;
        for (let dk = -1; dk <= 1; dk++)
          for (let dj = -1; dj <= 1; dj++)
            for (let di = -1; di <= 1; di++) {
              const [a, b, c] = [i + di, j + dj, k + dk];
              if (a >= 0 && a < nx && b >= 0 && b < ny && c >= 0 && c < nz) out[a + nx * (b + ny * c)] = 1;
            }
      }
  return out;
}

/** Mean of `image` over voxels whose tissue code is `code`, and how many there are. */
export function meanWhere(
  image: ArrayLike<number>,
  codes: Uint8Array,
  code: number,
): { mean: number; count: number } {
  let sum = 0;
  let count = 0;
  for (let idx = 0; idx < codes.length; idx++) {
    if (codes[idx] === code) {
      sum += image[idx]!;
      count++;
    }
  }
  return { mean: sum / count, count };
}
