// Plants the class signal: a sphere of uniform T1 intensity in the right hemisphere's white matter.
// Works on a phantom grid in NIfTI/Fortran order (i fastest); positions in template mm (see grid.ts).

import { TISSUE } from './anatomy.js';
import { apply, type Map3x4 } from './grid.js';

/** The sphere, in template mm, and where its voxels are found. */
export interface PlantedSphere {
  readonly centreMm: readonly [number, number, number];
  readonly radiusMm: number;
  /** Voxel → template mm and template mm → voxel maps of the subject's grid. */
  readonly toTemplate: Map3x4;
  readonly toVoxel: Map3x4;
}

/**
 * Marks in `region` (0/1) every voxel whose centre lies inside the sphere; returns the count. Scans only
 * the sphere's voxel bounding box, found by mapping the eight corners of its template-space cube.
 */
export function sphereRegion(
  shape: readonly [number, number, number],
  s: PlantedSphere,
  region: Uint8Array,
): number {
  const [nx, ny] = shape;
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let c = 0; c < 8; c++) {
    const corner = [0, 1, 2].map((a) => s.centreMm[a]! + ((c >> a) & 1 ? s.radiusMm : -s.radiusMm));
    const v = apply(s.toVoxel, corner as [number, number, number]);
    for (let a = 0; a < 3; a++) {
      lo[a] = Math.min(lo[a]!, v[a]!);
      hi[a] = Math.max(hi[a]!, v[a]!);
    }
  }
  const [i0, j0, k0] = lo.map((x) => Math.max(0, Math.floor(x)));
  const [i1, j1, k1] = hi.map((x, a) => Math.min(shape[a]! - 1, Math.ceil(x)));
  const m = s.toTemplate;
  const [cx, cy, cz] = s.centreMm;
  const r2 = s.radiusMm * s.radiusMm;
  let count = 0;
  for (let k = k0!; k <= k1!; k++) {
    for (let j = j0!; j <= j1!; j++) {
      for (let i = i0!; i <= i1!; i++) {
        const dx = m[0]! * i + m[1]! * j + m[2]! * k + m[3]! - cx;
        const dy = m[4]! * i + m[5]! * j + m[6]! * k + m[7]! - cy;
        const dz = m[8]! * i + m[9]! * j + m[10]! * k + m[11]! - cz;
        if (dx * dx + dy * dy + dz * dz < r2) {
          region[i + nx * (j + ny * k)] = 1;
          count++;
        }
      }
    }
  }
  return count;
}

/** Writes the lesion into the tissue map and the clean image wherever `region` is 1. */
export function plantLesion(
  region: Uint8Array,
  intensity: number,
  tissues: Uint8Array,
  clean: Float32Array,
): void {
  for (let idx = 0; idx < region.length; idx++) {
    if (region[idx] === 1) {
      tissues[idx] = TISSUE.lesion;
      clean[idx] = intensity;
    }
  }
}
