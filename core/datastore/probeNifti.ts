// A cheap check that a file is a readable NIfTI volume, for imports: check the header as core/io does, and
// make sure the file (decompressed, for .gz) holds as many bytes as the header promises. No voxel data is
// kept or converted, so 100 IXI scans probe in about half a second. Decoding stays core/io/readNifti's job.

import { createReadStream, promises as fsp } from 'node:fs';
import { createGunzip } from 'node:zlib';
import path from 'node:path';
import { VoxlabError } from '../common/errors.js';
import { parseNiftiHeader } from '../io/niftiHeader.js';
import { niftiLayout } from '../io/niftiLayout.js';

/** What a probe learns about a file. */
export interface NiftiProbe {
  readonly format: 'nifti1' | 'nifti2' | 'nifti-pair';
  /** dim[1..dim[0]] as written (not trimmed). */
  readonly shape: readonly number[];
  readonly datatypeCode: number;
  /** The file holding the voxels (the .img of a .hdr/.img pair, else the file itself). */
  readonly dataFile: string;
}

/** The NIfTI file name endings voxlab imports (.img files come with their .hdr). */
export const NIFTI_SUFFIXES = ['.nii.gz', '.nii', '.hdr', '.hdr.gz'] as const;

/** True when `file` ends in one of NIFTI_SUFFIXES (case-insensitive). */
export function isNiftiName(file: string): boolean {
  const lower = file.toLowerCase();
  return NIFTI_SUFFIXES.some((s) => lower.endsWith(s));
}

const HEADER_BYTES = 540; // NIfTI-2 header size; NIfTI-1 needs 348.

/** Reads up to `HEADER_BYTES` of the (decompressed) file and counts its total (decompressed) size. */
async function readHeadAndSize(file: string): Promise<{ head: Buffer; size: number }> {
  if (!file.toLowerCase().endsWith('.gz')) {
    const handle = await fsp.open(file, 'r');
    try {
      const head = Buffer.alloc(HEADER_BYTES);
      const { bytesRead } = await handle.read(head, 0, HEADER_BYTES, 0);
      return { head: head.subarray(0, bytesRead), size: (await handle.stat()).size };
    } finally {
      await handle.close();
    }
  }
  const chunks: Buffer[] = [];
  let kept = 0;
  let size = 0;
  const stream = createReadStream(file, { highWaterMark: 1 << 20 }).pipe(createGunzip({ chunkSize: 1 << 20 }));
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (kept < HEADER_BYTES) {
      chunks.push(chunk);
      kept += chunk.length;
    }
    size += chunk.length;
  }
  return { head: Buffer.concat(chunks).subarray(0, HEADER_BYTES), size };
}

/** Finds the .img (or .img.gz) beside a .hdr file. */
async function pairedImage(hdr: string): Promise<string> {
  const stem = hdr.replace(/\.hdr(\.gz)?$/i, '');
  for (const candidate of [`${stem}.img`, `${stem}.IMG`, `${stem}.img.gz`]) {
    const stat = await fsp.stat(candidate).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return null; // not this spelling: try the next one
      throw readFailure(candidate, e);
    });
    if (stat?.isFile()) return candidate;
  }
  throw new VoxlabError('NIFTI_TRUNCATED', `${hdr} is a header without its image file (${stem}.img)`, { path: hdr });
}

/** Turns an OS or zlib error into the coded error a user sees. */
function readFailure(file: string, e: unknown): VoxlabError {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOENT') return new VoxlabError('NOT_FOUND', `${file} does not exist`, { path: file }, { cause: e });
  if (typeof err.code === 'string' && err.code.startsWith('Z_')) {
    return new VoxlabError('NIFTI_CORRUPT', `${file} is not a readable gzip file (${err.message})`, { path: file }, { cause: e });
  }
  return new VoxlabError('IO_ERROR', `${file} could not be read: ${err.message}`, { path: file }, { cause: e });
}

/**
 * Checks that `file` (.nii, .nii.gz, .hdr with its .img) is a complete NIfTI volume without decoding voxels:
 * the header goes through the same checks as readNifti (core/io niftiHeader + niftiLayout), then the file
 * (decompressed) must hold the bytes the header promises. Throws VoxlabError: NOT_FOUND, IO_ERROR,
 * NOT_NIFTI, NIFTI_CORRUPT (also a damaged gzip stream), NIFTI_UNSUPPORTED, NOT_A_VOLUME (e.g. CIFTI),
 * TOO_LARGE, NIFTI_TRUNCATED (fewer bytes than promised, or a .hdr without its .img).
 */
export async function probeNifti(file: string): Promise<NiftiProbe> {
  const name = path.basename(file);
  const { head, size } = await readHeadAndSize(file).catch((e: unknown) => {
    throw readFailure(file, e);
  });
  // A plain Uint8Array copy: parseNiftiHeader takes `.slice(...).buffer`, which for a pooled Node Buffer is a
  // view into a shared pool, not the header.
  const layout = niftiLayout(parseNiftiHeader(new Uint8Array(head), name), name);
  let dataFile = file;
  let available = size;
  if (layout.raw.pair) {
    dataFile = await pairedImage(file);
    available = (await readHeadAndSize(dataFile).catch((e: unknown) => {
      throw readFailure(dataFile, e);
    })).size;
  }
  const needed = layout.voxOffset + layout.dataBytes;
  if (available < needed) {
    throw new VoxlabError('NIFTI_TRUNCATED', `${dataFile} ends early: it holds ${available} bytes, its header promises ${needed}`, { path: dataFile });
  }
  return { format: layout.raw.pair ? 'nifti-pair' : `nifti${layout.raw.version}`, shape: layout.shape, datatypeCode: layout.raw.datatypeCode, dataFile };
}
