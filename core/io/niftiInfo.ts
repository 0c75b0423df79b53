// What `voxlab info` reports about a NIfTI file, in the terms and key names of nibabel
// (shared/reference/nifti_nibabel.json): header facts, affine, axcodes, scaling and voxel statistics.
// Statistics describe one volume (default the first of a 4D file), as the reference computes them.

import { VoxlabError } from '../common/errors.js';
import { affineRows } from '../common/spaces.js';
import { readNifti, readNiftiHeader } from './readNifti.js';
import type { Volume } from './types.js';

/** Voxel statistics over every voxel of one volume, as numpy computes them on the scaled data. */
export interface VoxelStats {
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  /** Population standard deviation (numpy's default ddof=0). */
  readonly std: number;
  /** Count of NaN voxels (left out of the other figures). */
  readonly nan: number;
}

/** One voxel value: `ijk` has 3 entries, or 4 for a volume of a 4D file. */
export interface VoxelSample {
  readonly ijk: readonly number[];
  readonly value: number;
}

/** `voxlab info --json`: snake_case keys named as in the nibabel reference, plus a few extras. */
export interface NiftiInfo {
  readonly file: string;
  readonly shape: readonly number[];
  readonly datatype: string;
  readonly endianness: 'little' | 'big';
  readonly nifti_version: 1 | 2;
  readonly pixdim: readonly number[];
  readonly sform_code: number;
  readonly qform_code: number;
  /** Voxel → world RAS mm, 4 rows of 4. */
  readonly affine: number[][];
  readonly axcodes: string;
  readonly scl_slope: number;
  readonly scl_inter: number;
  readonly volume: true;
  readonly frames: number;
  /** The volume the statistics describe (0-based). */
  readonly frame: number;
  readonly extensions: readonly { readonly code: number; readonly size: number }[];
  readonly description: string;
  readonly units: { readonly spatial: string; readonly temporal: string };
  readonly stats: VoxelStats;
  readonly samples: readonly VoxelSample[];
}

export interface NiftiInfoOptions {
  /** Which volume of a 4D file the statistics describe (0-based, default 0). */
  readonly frame?: number;
  /** Voxels whose values to report: [i, j, k] or [i, j, k, t]. */
  readonly samples?: readonly (readonly number[])[];
  /** Called after each volume read (the statistics volume, and any other a sample names). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Accumulates min/max/mean/std in float64, volume by volume (Chan et al.'s parallel update). */
class StatsAccumulator {
  private n = 0;
  private nan = 0;
  private mean = 0;
  private m2 = 0;
  private min = Infinity;
  private max = -Infinity;

  /** Adds one volume with Chan et al.'s parallel update of mean and sum of squares. */
  add(data: Float32Array): void {
    let n = 0;
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (v !== v) continue;
      n++;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    this.nan += data.length - n;
    if (n === 0) return;
    const mean = sum / n;
    let m2 = 0;
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (v === v) m2 += (v - mean) * (v - mean);
    }
    const total = this.n + n;
    const delta = mean - this.mean;
    this.m2 += m2 + (delta * delta * this.n * n) / total;
    this.mean += (delta * n) / total;
    this.n = total;
    this.min = Math.min(this.min, min);
    this.max = Math.max(this.max, max);
  }

  result(): VoxelStats {
    if (this.n === 0) return { min: NaN, max: NaN, mean: NaN, std: NaN, nan: this.nan };
    return { min: this.min, max: this.max, mean: this.mean, std: Math.sqrt(this.m2 / this.n), nan: this.nan };
  }
}

function checkSample(path: string, ijk: readonly number[], shape: readonly number[], frames: number): void {
  const bounds = [...shape.slice(0, 3), frames];
  const ok = (ijk.length === 3 || ijk.length === 4) && ijk.every((x, d) => Number.isInteger(x) && x >= 0 && x < bounds[d]!);
  if (!ok) {
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `niftiInfo: voxel [${ijk.join(', ')}] is outside ${path} (shape ${bounds.slice(0, ijk.length === 4 ? 4 : 3).join('x')})`,
    );
  }
}

function valueAt(volume: Volume, ijk: readonly number[]): number {
  const [nx, ny] = volume.shape;
  return volume.data[ijk[0]! + nx * (ijk[1]! + ny * ijk[2]!)]!;
}

/**
 * Reads a NIfTI file and describes it as nibabel would: the header facts, the chosen affine, axcodes,
 * and statistics over all voxels of all volumes. Throws the reader's VoxlabErrors (e.g. NOT_A_VOLUME for
 * CIFTI) and BAD_ARGUMENT for a sample outside the image.
 */
export async function niftiInfo(path: string, options: NiftiInfoOptions = {}): Promise<NiftiInfo> {
  const summary = await readNiftiHeader(path);
  const frame = options.frame ?? 0;
  if (!Number.isInteger(frame) || frame < 0 || frame >= summary.frames) {
    throw new VoxlabError('BAD_ARGUMENT', `niftiInfo: ${path} has ${summary.frames} volume(s); volume ${frame} does not exist (volumes count from 0)`);
  }
  const samples = options.samples ?? [];
  for (const ijk of samples) checkSample(path, ijk, summary.shape, summary.frames);
  const stats = new StatsAccumulator();
  const values = new Array<number>(samples.length).fill(NaN);
  const frames = [...new Set([frame, ...samples.map((ijk) => ijk[3] ?? frame)])];
  for (const [n, t] of frames.entries()) {
    const volume = await readNifti(path, { frame: t });
    if (t === frame) stats.add(volume.data);
    samples.forEach((ijk, s) => {
      if ((ijk[3] ?? frame) === t) values[s] = valueAt(volume, ijk);
    });
    options.onProgress?.(n + 1, frames.length);
  }
  const h = summary.header;
  return {
    file: path,
    shape: h.shape,
    datatype: h.datatype,
    endianness: h.endianness,
    nifti_version: h.niftiVersion,
    pixdim: h.pixdim,
    sform_code: h.sformCode,
    qform_code: h.qformCode,
    affine: affineRows(summary.affine),
    axcodes: summary.axcodes,
    scl_slope: h.sclSlope,
    scl_inter: h.sclInter,
    volume: true,
    frames: summary.frames,
    frame,
    extensions: h.extensions,
    description: h.description,
    units: { spatial: h.spatialUnits, temporal: h.temporalUnits },
    stats: stats.result(),
    samples: samples.map((ijk, s) => ({ ijk, value: values[s]! })),
  };
}
