// The numbers of a measurement on the open scan: a length in mm, or a region's statistics over the scan's
// voxels and over the shown heatmap's values (the map as stored, fetched once per map, not the overlay's
// normalised and masked copy). Voxels are read in file order (roiStats), the world is Cornerstone's LPS.

import { VoxlabError } from '../../core/common/errors.js';
import { storedMapValues } from './storedMap.js';
import { lengthMm, lpsAffine, roiFromCorners, roiStats, type PlaneRoi, type RoiStats } from '../features/measure/roiStats.js';
import type { Measurement } from '../stores/useMeasureStore.js';
import { loadedVolume, scanVolumeId } from './volumes.js';

export interface MeasurementValues {
  /** Length measurements: mm. */
  readonly lengthMm?: number;
  /** Regions: statistics of the scan's voxels. */
  readonly scan?: RoiStats;
  /** Regions: the file voxel index box (inclusive) the region's slab touches in the scan, [i0, i1, j0, j1, k0, k1]. */
  readonly voxelBox?: readonly number[];
}

/** The region of a measurement (ellipse or rectangle) in Cornerstone's world. */
export function regionOf(m: Measurement): PlaneRoi {
  if (m.kind === 'length') throw new VoxlabError('INTERNAL', `regionOf: measurement #${m.id} is a length, which has no region`);
  return roiFromCorners(m.kind, m.a, m.b, m.viewUp, m.normal);
}

/** Length, or scan statistics, of `m` on the scan `imageId` (null when that scan is not loaded). */
export function measurementValues(m: Measurement, imageId: string): MeasurementValues | null {
  if (m.kind === 'length') return { lengthMm: lengthMm(m.a, m.b) };
  const scan = loadedVolume(scanVolumeId(imageId));
  if (scan === null) return null;
  const grid = { data: scan.fileData, shape: scan.meta.shape, affine: lpsAffine(scan.meta.affine) };
  const roi = regionOf(m);
  return { scan: roiStats(grid, roi), voxelBox: voxelBox(scan.fileAffineInverse, roi) };
}

/** The inclusive file index box of the voxel centres inside a region's rectangle (its plane's slice). */
function voxelBox(rasInverse: readonly number[], roi: PlaneRoi): number[] {
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (const su of [-1, 1])
    for (const sv of [-1, 1]) {
      const p = [0, 1, 2].map((c) => roi.center[c]! + su * roi.halfU * roi.u[c]! + sv * roi.halfV * roi.v[c]!);
      const ras = [-p[0]!, -p[1]!, p[2]!];
      for (let r = 0; r < 3; r++) {
        const idx = rasInverse[r * 4]! * ras[0]! + rasInverse[r * 4 + 1]! * ras[1]! + rasInverse[r * 4 + 2]! * ras[2]! + rasInverse[r * 4 + 3]!;
        lo[r] = Math.min(lo[r]!, idx);
        hi[r] = Math.max(hi[r]!, idx);
      }
    }
  // The plane's own axis sits on a voxel centre (or between two): round it; the in-plane axes span [ceil, floor].
  return [0, 1, 2].flatMap((r) => (hi[r]! - lo[r]! < 1e-6 ? [Math.round(lo[r]!), Math.round(lo[r]!)] : [Math.ceil(lo[r]! - 1e-9), Math.floor(hi[r]! + 1e-9)]));
}

/** Statistics of the stored map `mapId`'s values under region measurement `m` (on the map's own grid). */
export async function mapRegionStats(m: Measurement, mapId: string): Promise<RoiStats> {
  const { meta, data } = await storedMapValues(mapId);
  return roiStats({ data: new Float32Array(data), shape: meta.shape, affine: lpsAffine(meta.affine) }, regionOf(m));
}
