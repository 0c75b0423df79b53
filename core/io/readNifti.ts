// Reads NIfTI files from disk: .nii, .nii.gz, and .hdr/.img pairs (each part optionally .gz). File sizes
// are checked against the limit before reading; decoding is readNiftiBuffer's job.

import { promises as fsp } from 'node:fs';
import { VoxlabError } from '../common/errors.js';
import { isGzip } from './gzip.js';
import { DEFAULT_MAX_BYTES } from './niftiLayout.js';
import {
  openNiftiHeader,
  readNiftiBuffer,
  readNiftiHeaderBuffer,
  type ReadNiftiOptions,
} from './readNiftiBuffer.js';
import type { NiftiHeaderSummary, Volume } from './types.js';

export {
  readNiftiBuffer,
  readNiftiHeaderBuffer,
  type ReadNiftiBufferOptions,
  type ReadNiftiOptions,
} from './readNiftiBuffer.js';

/** Bytes read first when only the header is wanted; enough for the header and typical extensions. */
const HEADER_READ = 64 * 1024;
/** A file may be this much bigger than the limit (header, extensions, padding). */
const FILE_SLACK = 1 << 20;

/** The header file and, for a pair, the image file of a NIfTI path. */
export function niftiFiles(path: string): { header: string; img?: string } {
  const match = /\.(hdr|img)(\.gz)?$/i.exec(path);
  if (match === null) return { header: path };
  const stem = path.slice(0, match.index);
  const [ext, gz = ''] = [match[1]!, match[2]];
  const swap = (to: string): string => (ext === ext.toUpperCase() ? to.toUpperCase() : to);
  return ext.toLowerCase() === 'hdr'
    ? { header: path, img: `${stem}.${swap('img')}${gz}` }
    : { header: `${stem}.${swap('hdr')}${gz}`, img: path };
}

function fsError(e: unknown, path: string): VoxlabError {
  const code = (e as { code?: unknown }).code;
  if (code === 'ENOENT')
    return new VoxlabError('NOT_FOUND', `${path} does not exist`, { path }, { cause: e });
  return new VoxlabError(
    'IO_ERROR',
    `could not read ${path}: ${(e as Error).message}`,
    { path },
    { cause: e },
  );
}

async function fileSize(path: string): Promise<number> {
  const stat = await fsp.stat(path).catch((e: unknown) => {
    throw fsError(e, path);
  });
  if (!stat.isFile()) throw new VoxlabError('IO_ERROR', `${path} is not a file`, { path });
  return stat.size;
}

/** Reads a whole file after checking it is at most `cap` bytes. */
async function readCapped(path: string, cap: number): Promise<Uint8Array> {
  const size = await fileSize(path);
  if (size > cap)
    throw new VoxlabError(
      'TOO_LARGE',
      `${path} is ${size} bytes; voxlab reads images of at most ${cap} bytes`,
      { path, size, cap },
    );
  return fsp.readFile(path).catch((e: unknown) => {
    throw fsError(e, path);
  });
}

/** Reads bytes [0, length) of a file (fewer if it is shorter). */
async function readStart(path: string, length: number): Promise<Uint8Array> {
  const handle = await fsp.open(path, 'r').catch((e: unknown) => {
    throw fsError(e, path);
  });
  try {
    const buffer = new Uint8Array(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } catch (e) {
    throw fsError(e, path);
  } finally {
    await handle.close();
  }
}

/**
 * Reads one 3D volume (options.frame of a 4D file, default 0) from a .nii, .nii.gz, .hdr/.img or
 * .hdr.gz/.img.gz file. See readNiftiBuffer for the result and errors; adds NOT_FOUND and IO_ERROR.
 */
export async function readNifti(path: string, options: ReadNiftiOptions = {}): Promise<Volume> {
  const cap = (options.maxBytes ?? DEFAULT_MAX_BYTES) + FILE_SLACK;
  const files = niftiFiles(path);
  const bytes = await readCapped(files.header, cap);
  const imgBytes = files.img === undefined ? undefined : await readCapped(files.img, cap);
  return readNiftiBuffer(bytes, { ...options, imgBytes, name: path });
}

/**
 * Header facts and geometry of a NIfTI file without decoding its voxels (for `voxlab info`). Reads the
 * start of an uncompressed file; checks from the file size that the voxels are all there when it can.
 */
export async function readNiftiHeader(
  path: string,
  options: { maxBytes?: number } = {},
): Promise<NiftiHeaderSummary> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const files = niftiFiles(path);
  const size = await fileSize(files.header);
  let bytes = await readStart(files.header, Math.min(size, HEADER_READ));
  if (isGzip(bytes) || files.img !== undefined) bytes = await readCapped(files.header, maxBytes + FILE_SLACK);
  const { layout } = openNiftiHeader(bytes, path, maxBytes);
  const dataFile = files.img ?? files.header;
  const dataSize = files.img === undefined ? size : await fileSize(files.img);
  const dataIsGzip = files.img === undefined ? isGzip(bytes) : isGzip(await readStart(files.img, 2));
  const needed = layout.voxOffset + layout.dataBytes;
  if (!dataIsGzip && dataSize < needed) {
    throw new VoxlabError(
      'NIFTI_TRUNCATED',
      `${dataFile} is ${dataSize} bytes, but its header needs ${needed}: the file is truncated`,
      { path, expected: needed, actual: dataSize },
    );
  }
  // Extensions reach up to vox_offset, which is within the file (checked above).
  if (files.img === undefined && !isGzip(bytes) && layout.voxOffset > bytes.length) {
    bytes = await readStart(files.header, layout.voxOffset);
  }
  return readNiftiHeaderBuffer(bytes, { name: path, maxBytes });
}
