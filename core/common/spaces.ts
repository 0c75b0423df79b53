// Coordinate spaces and their types. Branded types keep voxel indices, world millimetres and affines
// from being mixed up (NiiVue's AffineProcessor keeps the same distinctions).

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

/**
 * A 4x4 affine that maps voxel indices (i, j, k, 1) to world millimetres (x, y, z, 1) in RAS+
 * (NIfTI's and nibabel's convention: +x = Right, +y = Anterior, +z = Superior).
 * Row-major, 16 numbers: [r00, r01, r02, r03, r10, ..., r33].
 */
export type Affine = Brand<readonly number[], 'Affine'>;

/** A voxel index triple (i, j, k) in an image's own voxel order. Integers. */
export type VoxelIndex = Brand<readonly [number, number, number], 'VoxelIndex'>;

/** A point in world millimetres, RAS+. */
export type WorldRas = Brand<readonly [number, number, number], 'WorldRas'>;

/** Three orientation letters, one per voxel axis, naming where that axis points (e.g. 'RAS', 'PSR'). */
export type Axcodes = string;

/** Makes an Affine from 16 row-major numbers or a 4x4 nested array; checks the size. */
export function toAffine(m: ArrayLike<number> | readonly (readonly number[])[]): Affine {
  const flat: number[] = [];
  if (m.length === 4 && Array.isArray(m[0])) {
    for (const row of m as readonly (readonly number[])[]) flat.push(...row);
  } else {
    for (let i = 0; i < m.length; i++) flat.push((m as ArrayLike<number>)[i] as number);
  }
  if (flat.length !== 16) throw new RangeError(`toAffine: expected 16 numbers, got ${flat.length}`);
  return flat as unknown as Affine;
}

/** The affine as a nested 4x4 array, rows first (nibabel's `img.affine.tolist()`). */
export function affineRows(a: Affine): number[][] {
  return [0, 1, 2, 3].map((r) => [a[r * 4]!, a[r * 4 + 1]!, a[r * 4 + 2]!, a[r * 4 + 3]!]);
}

/** Maps a voxel index (may be fractional) to world RAS millimetres. */
export function voxelToWorld(a: Affine, ijk: readonly [number, number, number]): WorldRas {
  const [i, j, k] = ijk;
  return [0, 1, 2].map((r) => a[r * 4]! * i + a[r * 4 + 1]! * j + a[r * 4 + 2]! * k + a[r * 4 + 3]!) as unknown as WorldRas;
}

/** Product of two 4x4 row-major affines, `a @ b`. */
export function multiplyAffine(a: Affine, b: Affine): Affine {
  const out = new Array<number>(16).fill(0);
  for (let r = 0; r < 4; r++)
    for (let c = 0; c < 4; c++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += a[r * 4 + k]! * b[k * 4 + c]!;
      out[r * 4 + c] = s;
    }
  return out as unknown as Affine;
}
