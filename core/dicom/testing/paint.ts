// Painting test labelmaps (layout x fastest, then y, then z), for SEG tests and benchmarks.

/** Sets `value` in every voxel whose centre is within `radius` voxels of `centre` (voxel indices). */
export function paintSphere(
  labelmap: Uint8Array,
  dims: readonly [number, number, number],
  centre: readonly [number, number, number],
  radius: number,
  value: number,
): void {
  const [nx, ny, nz] = dims;
  for (
    let z = Math.max(0, Math.floor(centre[2] - radius));
    z <= Math.min(nz - 1, Math.ceil(centre[2] + radius));
    z++
  )
    for (
      let y = Math.max(0, Math.floor(centre[1] - radius));
      y <= Math.min(ny - 1, Math.ceil(centre[1] + radius));
      y++
    )
      for (
        let x = Math.max(0, Math.floor(centre[0] - radius));
        x <= Math.min(nx - 1, Math.ceil(centre[0] + radius));
        x++
      )
        if ((x - centre[0]) ** 2 + (y - centre[1]) ** 2 + (z - centre[2]) ** 2 <= radius ** 2)
          labelmap[x + nx * (y + ny * z)] = value;
}

/** Sets `value` in the box lo..hi (inclusive voxel indices, clipped to the grid). */
export function paintBox(
  labelmap: Uint8Array,
  dims: readonly [number, number, number],
  lo: readonly [number, number, number],
  hi: readonly [number, number, number],
  value: number,
): void {
  const [nx, ny, nz] = dims;
  for (let z = Math.max(0, lo[2]); z <= Math.min(nz - 1, hi[2]); z++)
    for (let y = Math.max(0, lo[1]); y <= Math.min(ny - 1, hi[1]); y++)
      for (let x = Math.max(0, lo[0]); x <= Math.min(nx - 1, hi[0]); x++)
        labelmap[x + nx * (y + ny * z)] = value;
}
