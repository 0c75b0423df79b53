// A DICOM series as the SEG tests need it: its files' references (refs.ts) and its dcm2niix conversion,
// each volume's shape and RAS affine read back from the NIfTI. Two converters: the WASM build voxlab
// imports with (convertDicomBuffers) and Debian's /usr/bin/dcm2niix (files in a temporary folder).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readNiftiBuffer } from '../../io/readNiftiBuffer.js';
import { convertDicomBuffers } from '../dcm2niix.js';
import { readInstanceRef, seriesRefs, type InstanceRef, type SeriesRefs } from '../refs.js';

export interface ConvertedVolume {
  readonly name: string;
  readonly dims: [number, number, number];
  /** Row-major 4x4, RAS+ mm, as read from the NIfTI (sform). */
  readonly affine: number[];
  /** The NIfTI voxels (float32, x fastest), for shape and content checks. */
  readonly data: Float32Array;
}

export interface SourceSeries {
  readonly instances: InstanceRef[];
  readonly refs: SeriesRefs;
  readonly volumes: ConvertedVolume[];
}

export type Converter = 'wasm' | 'native';
export type DicomInput = { name: string; bytes: Uint8Array };

function volumeOf(name: string, nifti: Uint8Array): ConvertedVolume {
  const v = readNiftiBuffer(nifti, { name });
  return { name, dims: [...v.shape] as [number, number, number], affine: [...v.affine], data: v.data };
}

/** Converts with /usr/bin/dcm2niix (as convertDicomBuffers names series: -f %s_%d, uncompressed). */
export function convertNative(inputs: readonly DicomInput[]): ConvertedVolume[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'voxlab-dcm2niix-'));
  try {
    const [input, output] = [path.join(dir, 'in'), path.join(dir, 'out')];
    for (const d of [input, output]) spawnSync('mkdir', ['-p', d]);
    inputs.forEach((f, i) => writeFileSync(path.join(input, `${i}_${f.name}`), f.bytes));
    const run = spawnSync('dcm2niix', ['-o', output, '-f', '%s_%d', '-z', 'n', '-b', 'n', input], {
      encoding: 'utf8',
    });
    if (run.error !== undefined) throw run.error;
    return readdirSync(output)
      .filter((n) => n.endsWith('.nii'))
      .sort()
      .map((n) => volumeOf(n.slice(0, -4), new Uint8Array(readFileSync(path.join(output, n)))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Converts with the WASM dcm2niix (convertDicomBuffers). */
export async function convertWasm(inputs: readonly DicomInput[]): Promise<ConvertedVolume[]> {
  const { series } = await convertDicomBuffers(inputs);
  return series.map((s) => volumeOf(s.name, s.nifti));
}

/** Reads `inputs` (one series' files as bytes), gathers their references and converts them. */
export async function loadSeries(
  inputs: readonly DicomInput[],
  converter: Converter = 'wasm',
): Promise<SourceSeries> {
  const instances = inputs.map((i) => readInstanceRef(i.bytes)).filter((r): r is InstanceRef => r !== null);
  const volumes = converter === 'wasm' ? await convertWasm(inputs) : convertNative(inputs);
  return { instances, refs: seriesRefs(instances), volumes };
}

/** The DICOM files of `folder` (names ending .dcm, sorted), read into memory. */
export function readFolder(folder: string): DicomInput[] {
  return readdirSync(folder)
    .filter((f) => f.endsWith('.dcm'))
    .sort()
    .map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(path.join(folder, f))) }));
}
