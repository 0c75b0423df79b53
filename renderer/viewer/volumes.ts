// Volumes from our core (datastore.volume, explain.map: float32 voxels in NIfTI order + affine) turned into
// Cornerstone local volumes on the LPS-ordered grid. The file-order voxels stay here for the cursor readout.

import { cache, utilities, volumeLoader, type Types } from '@cornerstonejs/core';
import type { Binary, VolumeMeta } from '../../core/api/index.js';
import { cornerstoneGeometry, invertAffine, reorderVoxels, type CornerstoneGeometry } from './geometry.js';

/** A volume the viewer holds: its Cornerstone id, its metadata and file-order voxels for readouts. */
export interface LoadedVolume {
  readonly volumeId: string;
  readonly meta: VolumeMeta;
  readonly fileData: Float32Array;
  readonly geometry: CornerstoneGeometry;
  readonly fileAffineInverse: number[];
}

const loaded = new Map<string, LoadedVolume>();

export const scanVolumeId = (imageId: string): string => `voxlab:scan:${imageId}`;
export const mapVolumeId = (jobId: string): string => `voxlab:map:${jobId}`;

/** Builds (or returns the cached) Cornerstone volume `volumeId` from a core binary volume answer. */
export function toCornerstoneVolume(volumeId: string, answer: Binary<VolumeMeta>): LoadedVolume {
  const known = loaded.get(volumeId);
  if (known !== undefined && cache.getVolume(volumeId) !== undefined) return known;
  const { meta } = answer;
  if (meta.dtype !== 'float32') throw new Error(`toCornerstoneVolume: expected float32 voxels, got ${meta.dtype}`);
  const fileData = new Float32Array(answer.data);
  const nvox = meta.shape[0] * meta.shape[1] * meta.shape[2];
  if (fileData.length !== nvox)
    throw new Error(`toCornerstoneVolume: ${fileData.length} voxels for shape [${meta.shape.join(', ')}]`);
  const geometry = cornerstoneGeometry(meta.shape, meta.affine);
  const scalarData = reorderVoxels(fileData, meta.shape, meta.affine);
  const [nx, ny] = geometry.dimensions;
  volumeLoader.createLocalVolume(volumeId, {
    dimensions: geometry.dimensions as Types.Point3,
    spacing: geometry.spacing as Types.Point3,
    origin: geometry.origin as Types.Point3,
    direction: geometry.direction as unknown as Types.Mat3,
    scalarData,
    metadata: {
      BitsAllocated: 32,
      BitsStored: 32,
      SamplesPerPixel: 1,
      HighBit: 31,
      PhotometricInterpretation: 'MONOCHROME2',
      PixelRepresentation: 1,
      Modality: 'MR',
      ImageOrientationPatient: geometry.direction.slice(0, 6),
      PixelSpacing: [geometry.spacing[1], geometry.spacing[0]],
      FrameOfReferenceUID: `voxlab-for-${meta.imageId}`,
      Columns: nx,
      Rows: ny,
      voiLut: [{ windowWidth: meta.stats.p99 - meta.stats.p01 || 1, windowCenter: (meta.stats.p99 + meta.stats.p01) / 2 }],
      VOILUTFunction: 'LINEAR',
    },
  });
  fixSlicePositions(volumeId, geometry, `voxlab-for-${meta.imageId}`);
  const volume: LoadedVolume = {
    volumeId,
    meta,
    fileData,
    geometry,
    fileAffineInverse: invertAffine(meta.affine),
  };
  loaded.set(volumeId, volume);
  return volume;
}

/**
 * createLocalVolume gives every slice image the volume's origin; Cornerstone finds the slice under an
 * acquisition-plane view by image position, so each slice gets its own: origin + k * spacing_k * k axis.
 */
function fixSlicePositions(volumeId: string, g: CornerstoneGeometry, frameOfReferenceUID: string): void {
  const [nx, ny, nz] = g.dimensions;
  const kAxis = g.direction.slice(6, 9);
  for (let k = 0; k < nz; k++) {
    const imageId = `${volumeId}_slice_${k}`;
    utilities.genericMetadataProvider.add(imageId, {
      type: 'imagePlaneModule',
      metadata: {
        frameOfReferenceUID,
        rows: ny,
        columns: nx,
        imageOrientationPatient: g.direction.slice(0, 6),
        rowCosines: g.direction.slice(0, 3),
        columnCosines: g.direction.slice(3, 6),
        imagePositionPatient: g.origin.map((o, a) => o + k * g.spacing[2] * kAxis[a]!),
        pixelSpacing: [g.spacing[1], g.spacing[0]],
        rowPixelSpacing: g.spacing[1],
        columnPixelSpacing: g.spacing[0],
        sliceThickness: g.spacing[2],
      },
    });
  }
}

export function loadedVolume(volumeId: string): LoadedVolume | null {
  return loaded.get(volumeId) ?? null;
}

/** Drops a volume from our table and Cornerstone's cache. */
export function dropVolume(volumeId: string): void {
  loaded.delete(volumeId);
  cache.removeVolumeLoadObject(volumeId);
}
