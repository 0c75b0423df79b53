// What reading a NIfTI file gives: the header facts (as nibabel reports them) and one 3D volume.

import type { Affine, Axcodes } from '../common/spaces.js';

/** NIfTI datatypes by nibabel's names (numpy dtype names). */
export type NiftiDatatype =
  | 'uint8' | 'int8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64'
  | 'float32' | 'float64' | 'complex64' | 'complex128' | 'rgb24' | 'rgba32';

/** Header facts, in the terms of shared/reference/nifti_nibabel.json. */
export interface NiftiHeaderInfo {
  readonly niftiVersion: 1 | 2;
  readonly datatype: NiftiDatatype;
  readonly endianness: 'little' | 'big';
  /**
   * Full shape as nibabel reports it: dim[1..dim[0]], trailing 1s kept (a 4D file with one volume is
   * [nx, ny, nz, 1], as dipy_S0_10slices in shared/reference shows).
   */
  readonly shape: readonly number[];
  /** Voxel sizes of the three spatial axes in millimetres (pixdim[1..3]; nibabel's fixes: 0 → 1, negative → absolute). */
  readonly pixdim: readonly [number, number, number];
  readonly sformCode: number;
  readonly qformCode: number;
  /** scl_slope / scl_inter as nibabel reports them (slope 0 or NaN → 1 and inter → 0). */
  readonly sclSlope: number;
  readonly sclInter: number;
  /** Header extensions: NIfTI ecode and payload size in bytes. */
  readonly extensions: readonly { readonly code: number; readonly size: number }[];
  readonly description: string;
  /** Spatial and temporal units, as NIfTI names them (e.g. 'mm', 'sec'). */
  readonly spatialUnits: string;
  readonly temporalUnits: string;
}

/**
 * One 3D volume read from a file.
 * `data` holds scaled values (raw * slope + inter; complex → magnitude) as float32, in the file's voxel
 * order with i fastest: value(i, j, k) = data[i + nx * (j + ny * k)] (NIfTI/Fortran order).
 */
export interface Volume {
  /** [nx, ny, nz] of this 3D volume. */
  readonly shape: readonly [number, number, number];
  readonly data: Float32Array;
  /** Voxel (i, j, k) → world RAS mm, chosen like nibabel: sform, else qform, else the pixdim fallback. */
  readonly affine: Affine;
  readonly axcodes: Axcodes;
  readonly header: NiftiHeaderInfo;
  /** Which 4D volume this is (0 for 3D files). */
  readonly frame: number;
}

/** What reading only a header gives (readNiftiHeader): header facts and geometry, no voxels. */
export interface NiftiHeaderSummary {
  readonly header: NiftiHeaderInfo;
  /** Voxel (i, j, k) → world RAS mm, as Volume.affine. */
  readonly affine: Affine;
  readonly axcodes: Axcodes;
  /** [nx, ny, nz] of each 3D volume. */
  readonly shape: readonly [number, number, number];
  /** Number of 3D volumes (1 for a 3D file). */
  readonly frames: number;
}
