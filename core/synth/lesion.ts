// Plants the class signal: a sphere of uniform T1 intensity in the right hemisphere's white matter; and
// the regions of spheroids (the tube-like distractors of nuisance.ts).
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
  const r2 = s.radiusMm * s.radiusMm;
  return markRegion(shape, s, s.radiusMm, region, (dx, dy, dz) => dx * dx + dy * dy + dz * dz < r2);
}

/**
 * A prolate spheroid (a "tube" when halfLengthMm >> radiusMm): `radiusMm` across, `halfLengthMm` along the
 * unit vector `axis` (template mm). A point p is inside when (t / halfLengthMm)^2 + q^2 / radiusMm^2 < 1,
 * with t = (p - centre) . axis and q^2 = |p - centre|^2 - t^2. A sphere is the case halfLengthMm = radiusMm.
 */
export interface PlantedSpheroid extends PlantedSphere {
  readonly axis: readonly [number, number, number];
  readonly halfLengthMm: number;
}

/** sphereRegion for a spheroid: marks its voxels in `region` (0/1), returns the count. */
export function spheroidRegion(
  shape: readonly [number, number, number],
  s: PlantedSpheroid,
  region: Uint8Array,
): number {
  const [ux, uy, uz] = s.axis;
  const inv2Across = 1 / (s.radiusMm * s.radiusMm);
  const inv2Along = 1 / (s.halfLengthMm * s.halfLengthMm);
  return markRegion(shape, s, Math.max(s.radiusMm, s.halfLengthMm), region, (dx, dy, dz) => {
    const t = dx * ux + dy * uy + dz * uz;
    const d2 = dx * dx + dy * dy + dz * dz;
    return t * t * inv2Along + (d2 - t * t) * inv2Across < 1;
  });
}

/**
 * Marks the voxels whose centre, as an offset (dx, dy, dz) in template mm from `s.centreMm`, is `inside`;
 * scans only the voxel bounding box of the template-space cube of half-size `reach` mm around the centre.
 */
function markRegion(
  shape: readonly [number, number, number],
  s: PlantedSphere,
  reach: number,
  region: Uint8Array,
  inside: (dx: number, dy: number, dz: number) => boolean,
): number {
  const [nx, ny] = shape;
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let c = 0; c < 8; c++) {
    const corner = [0, 1, 2].map((a) => s.centreMm[a]! + ((c >> a) & 1 ? reach : -reach));
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
  let count = 0;
  for (let k = k0!; k <= k1!; k++) {
    for (let j = j0!; j <= j1!; j++) {
      for (let i = i0!; i <= i1!; i++) {
        const dx = m[0]! * i + m[1]! * j + m[2]! * k + m[3]! - cx;
        const dy = m[4]! * i + m[5]! * j + m[6]! * k + m[7]! - cy;
        const dz = m[8]! * i + m[9]! * j + m[10]! * k + m[11]! - cz;
        if (inside(dx, dy, dz)) {
          region[i + nx * (j + ny * k)] = 1;
          count++;
        }
      }
    }
  }
  return count;
}

/**
 * Writes a graded lesion: inside the sphere, each voxel's clean intensity moves from its tissue's value
 * towards `intensity` by w = 1 - (r / R)^2 (r its distance from the centre, template mm): `intensity` at the
 * centre, the surrounding tissue at the rim, like the fading edge of a real lesion. Only the core reaches
 * the lesion's extreme intensity (w > 0.8 in the inner 9% of the volume), so a large lesion moves the
 * global histogram little while its blob stays plain to a local detector. Tissue codes become lesion.
 */
export function plantGradedLesion(
  shape: readonly [number, number, number],
  s: PlantedSphere,
  region: Uint8Array,
  intensity: number,
  tissues: Uint8Array,
  clean: Float32Array,
): void {
  const [nx, ny] = shape;
  const m = s.toTemplate;
  const [cx, cy, cz] = s.centreMm;
  const inv2 = 1 / (s.radiusMm * s.radiusMm);
  for (let idx = 0; idx < region.length; idx++) {
    if (region[idx] !== 1) continue;
    const i = idx % nx;
    const j = Math.floor(idx / nx) % ny;
    const k = Math.floor(idx / (nx * ny));
    const dx = m[0]! * i + m[1]! * j + m[2]! * k + m[3]! - cx;
    const dy = m[4]! * i + m[5]! * j + m[6]! * k + m[7]! - cy;
    const dz = m[8]! * i + m[9]! * j + m[10]! * k + m[11]! - cz;
    const w = Math.max(0, 1 - (dx * dx + dy * dy + dz * dz) * inv2);
    tissues[idx] = TISSUE.lesion;
    clean[idx] = clean[idx]! + w * (intensity - clean[idx]!);
  }
}

/** Writes the lesion into the tissue map and the clean image wherever `region` is 1 (uniform, legacy). */
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
