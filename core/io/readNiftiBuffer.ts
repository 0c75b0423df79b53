// Decodes NIfTI bytes already in memory (.nii, .nii.gz, or a .hdr/.img pair, each optionally gzipped)
// into one 3D volume. Order of work: inflate only the header, check it, check sizes against the limit,
// then inflate with a hard cap, check the byte count, and only then allocate the float32 volume.

import { VoxlabError } from '../common/errors.js';
import { decodeFrame } from './decodeVoxels.js';
import { gunzipAll, gunzipPrefix, isGzip } from './gzip.js';
import { parseExtensions } from './niftiExtensions.js';
import { parseNiftiHeader, type RawNiftiHeader } from './niftiHeader.js';
import { DEFAULT_MAX_BYTES, headerInfo, niftiLayout, type NiftiLayout } from './niftiLayout.js';
import type { NiftiHeaderSummary, Volume } from './types.js';

/** Options for reading one volume. */
export interface ReadNiftiOptions {
  /** Which 3D volume of a 4D file (0-based, default 0). */
  readonly frame?: number;
  /** Most bytes one image may take, header + voxels as stored, and for the float32 volume (default 2 GiB). */
  readonly maxBytes?: number;
}

/** Options for reading bytes in memory. */
export interface ReadNiftiBufferOptions extends ReadNiftiOptions {
  /** The .img (or .img.gz) bytes when `bytes` is the header of a .hdr/.img pair. */
  readonly imgBytes?: Uint8Array;
  /** Names the data in error messages (e.g. the file path). */
  readonly name?: string;
}

/** Bytes a gzipped image may hold beyond what its header describes (padding some writers add). */
const TRAILING_SLACK = 1 << 20;
/** Inflated bytes enough for a NIfTI-2 header plus its extender. */
const HEADER_PREFIX = 544;

interface OpenedHeader {
  readonly raw: RawNiftiHeader;
  readonly layout: NiftiLayout;
  /** The start of the (inflated) header file: at least the fixed header. */
  readonly head: Uint8Array;
}

function checkOptions(options: ReadNiftiOptions): number {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (!(maxBytes > 0))
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `readNifti: maxBytes must be a positive number of bytes, got ${maxBytes}`,
    );
  return maxBytes;
}

/** Reads and checks the header at the start of `bytes`, inflating only a prefix of gzip data. */
export function openNiftiHeader(bytes: Uint8Array, name: string, maxBytes: number): OpenedHeader {
  const head = isGzip(bytes) ? gunzipPrefix(bytes, HEADER_PREFIX, maxBytes, name) : bytes;
  const raw = parseNiftiHeader(head, name);
  return { raw, layout: niftiLayout(raw, name, maxBytes), head };
}

/** Inflates gzip data to at most `expected` + slack bytes; more is NIFTI_CORRUPT (header and bytes disagree). */
function inflateExpected(bytes: Uint8Array, expected: number, name: string): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipAll(bytes, expected + TRAILING_SLACK, name);
  } catch (e) {
    if (e instanceof VoxlabError && e.code === 'TOO_LARGE') {
      throw new VoxlabError(
        'NIFTI_CORRUPT',
        `${name} holds more data than its header describes (${expected} bytes): the dimensions in the header are wrong`,
        { name, expected },
        { cause: e },
      );
    }
    throw e;
  }
}

function checkLength(data: Uint8Array, layout: NiftiLayout, name: string): void {
  const expected = layout.voxOffset + layout.dataBytes;
  if (data.length >= expected) return;
  const details = { name, expected, actual: data.length };
  if (layout.voxOffset >= data.length) {
    throw new VoxlabError(
      'NIFTI_TRUNCATED',
      `${name}: the voxels should start at byte ${layout.voxOffset} (vox_offset), but the data has only ${data.length} bytes`,
      details,
    );
  }
  const dims = `${layout.shape.join('x')} ${layout.datatype.name}`;
  throw new VoxlabError(
    'NIFTI_TRUNCATED',
    `${name} ends after ${data.length} bytes, but its header (${dims} at byte ${layout.voxOffset}) needs ${expected}: the file is truncated`,
    details,
  );
}

function checkFrame(frame: number, layout: NiftiLayout, name: string): number {
  if (!Number.isInteger(frame) || frame < 0 || frame >= layout.frames) {
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `readNifti: frame ${frame} does not exist in ${name}, which has ${layout.frames} volume(s) (0-based)`,
      { name, frames: layout.frames },
    );
  }
  return frame;
}

/** The header file and the voxel bytes, inflated and length-checked. */
function headerAndData(
  bytes: Uint8Array,
  opened: OpenedHeader,
  options: ReadNiftiBufferOptions,
  name: string,
  maxBytes: number,
): { header: Uint8Array; data: Uint8Array } {
  const { raw, layout } = opened;
  const expected = layout.voxOffset + layout.dataBytes;
  if (!raw.pair) {
    if (options.imgBytes !== undefined)
      throw new VoxlabError(
        'BAD_ARGUMENT',
        `readNiftiBuffer: ${name} is a single-file NIfTI, but .img bytes were given too`,
      );
    const whole = inflateExpected(bytes, expected, name);
    checkLength(whole, layout, name);
    return { header: whole, data: whole };
  }
  if (options.imgBytes === undefined) {
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `${name} is the header of a .hdr/.img pair: the voxels are in the .img file, which must be read with it`,
      { name },
    );
  }
  const header = isGzip(bytes) ? gunzipAll(bytes, maxBytes, name) : bytes;
  const data = inflateExpected(options.imgBytes, expected, `${name} (.img)`);
  checkLength(data, layout, `${name} (.img)`);
  return { header, data };
}

/**
 * Decodes one 3D volume from NIfTI-1/NIfTI-2 bytes (gzipped or not; for a .hdr/.img pair `bytes` is the
 * header and `options.imgBytes` the voxels). Data: float32, scaled, file voxel order, i fastest.
 * Throws VoxlabError: NOT_NIFTI, NIFTI_TRUNCATED, NIFTI_CORRUPT, NIFTI_UNSUPPORTED, NOT_A_VOLUME,
 * TOO_LARGE, BAD_ARGUMENT (frame out of range, missing .img bytes).
 */
export function readNiftiBuffer(bytes: Uint8Array, options: ReadNiftiBufferOptions = {}): Volume {
  const name = options.name ?? 'the NIfTI data';
  const maxBytes = checkOptions(options);
  const opened = openNiftiHeader(bytes, name, maxBytes);
  const { raw, layout } = opened;
  const frame = checkFrame(options.frame ?? 0, layout, name);
  const { header, data } = headerAndData(bytes, opened, options, name, maxBytes);
  const extensions = parseExtensions(header, raw, raw.pair ? header.length : layout.voxOffset, name);
  return {
    shape: layout.shape3,
    data: decodeFrame(data, layout, frame),
    affine: layout.affine,
    axcodes: layout.axcodes,
    header: headerInfo(layout, extensions),
    frame,
  };
}

/**
 * Header facts and geometry from the start of a NIfTI file without decoding voxels. `bytes` must hold
 * the fixed header (and its extensions, up to vox_offset, to list them); gzip data is inflated only as
 * far as the extensions reach. Does not check that the voxel bytes are all there.
 */
export function readNiftiHeaderBuffer(
  bytes: Uint8Array,
  options: { name?: string; maxBytes?: number } = {},
): NiftiHeaderSummary {
  const name = options.name ?? 'the NIfTI data';
  const maxBytes = checkOptions(options);
  const { raw, layout, head: first } = openNiftiHeader(bytes, name, maxBytes);
  const end = raw.pair ? Infinity : layout.voxOffset;
  const head = isGzip(bytes) && first.length < end ? gunzipPrefix(bytes, end, maxBytes, name) : first;
  const extensions = parseExtensions(head, raw, Math.min(end, head.length), name);
  return {
    header: headerInfo(layout, extensions),
    affine: layout.affine,
    axcodes: layout.axcodes,
    shape: layout.shape3,
    frames: layout.frames,
  };
}
