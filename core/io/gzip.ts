// gzip for NIfTI files with hard limits: the header is read from a small inflated prefix, and the whole
// stream is inflated with maxOutputLength, so a damaged or malicious stream can never make voxlab
// allocate more than the caller allows. zlib failures become typed VoxlabErrors.

import { constants as bufferConstants } from 'node:buffer';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import { VoxlabError } from '../common/errors.js';

/** Compressed bytes fed first when only the header is needed; NIfTI headers inflate from ~300 bytes. */
const FIRST_PREFIX = 4096;
/** Output chunk size: big chunks avoid a final concatenation for typical scans (~1-20 MB). */
const MAX_CHUNK = 1 << 20;

/** True when `bytes` start with the gzip magic 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function zlibError(e: unknown, name: string, limit: number): VoxlabError {
  const code = (e as { code?: unknown }).code;
  const message = (e as Error).message;
  if (code === 'ERR_BUFFER_TOO_LARGE') {
    return new VoxlabError(
      'TOO_LARGE',
      `${name} inflates to more than ${limit} bytes`,
      { name, limit },
      { cause: e },
    );
  }
  if (code === 'Z_BUF_ERROR') {
    return new VoxlabError(
      'NIFTI_TRUNCATED',
      `${name}: the gzip stream ends early (${message}); the file is truncated`,
      { name },
      { cause: e },
    );
  }
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return new VoxlabError(
      'NIFTI_CORRUPT',
      `${name}: the gzip stream is damaged (${message})`,
      { name },
      { cause: e },
    );
  }
  throw e;
}

function clampLimit(limit: number): number {
  return Math.max(1, Math.min(Math.floor(limit), bufferConstants.MAX_LENGTH));
}

/**
 * Inflates at least `minBytes` from the start of a gzip stream (or all of it when it is shorter),
 * feeding growing compressed prefixes so only a little more than needed is inflated. Never inflates
 * more than `limit` bytes. Damage inside the inflated part throws NIFTI_CORRUPT.
 */
export function gunzipPrefix(bytes: Uint8Array, minBytes: number, limit: number, name: string): Uint8Array {
  for (let fed = Math.min(FIRST_PREFIX, bytes.length); ; fed = Math.min(fed * 4, bytes.length)) {
    let out: Uint8Array;
    try {
      out = gunzipSync(bytes.subarray(0, fed), {
        finishFlush: zlibConstants.Z_SYNC_FLUSH,
        maxOutputLength: clampLimit(limit),
      });
    } catch (e) {
      throw zlibError(e, name, limit);
    }
    if (out.length >= minBytes || fed === bytes.length) return out;
  }
}

/** deflate's largest compression ratio (RFC 1951: 258-byte matches in ~2 bits): no stream inflates more. */
const MAX_RATIO = 1032;

/**
 * The output chunk for inflating `bytes` in one piece: the stream's own size (ISIZE, its last 4 bytes, RFC
 * 1952; the size mod 2^32 of the last member) plus slack, so one chunk holds it all and zlib never joins
 * chunks (a 32 MiB scan: one ~90 ms copy less). Capped by what the compressed size can inflate to, so a
 * lying trailer cannot make voxlab allocate much; MAX_CHUNK when there is no plausible trailer.
 */
function outputChunk(bytes: Uint8Array): number {
  if (bytes.length < 18) return MAX_CHUNK;
  const at = bytes.length - 4;
  const isize = (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
  return isize > 0 && isize <= bytes.length * MAX_RATIO ? isize + 64 : MAX_CHUNK;
}

/**
 * Inflates a whole gzip stream (all members) into at most `limit` bytes. Throws NIFTI_TRUNCATED when
 * the stream ends early, NIFTI_CORRUPT when it is damaged, TOO_LARGE when it holds more than `limit`.
 */
export function gunzipAll(bytes: Uint8Array, limit: number, name: string): Uint8Array {
  const maxOutputLength = clampLimit(limit);
  try {
    return gunzipSync(bytes, {
      maxOutputLength,
      chunkSize: Math.max(zlibConstants.Z_MIN_CHUNK, Math.min(outputChunk(bytes), maxOutputLength)),
    });
  } catch (e) {
    throw zlibError(e, name, limit);
  }
}
