// Reading a request body with a hard size limit: the declared length is checked first, then the bytes as
// they arrive, so an over-long body is cut off instead of filling memory or disk. Small JSON bodies are
// read into memory; uploads are streamed to a file (issue #15 item 3).

import { open, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { VoxlabError } from '../common/errors.js';
import { uploadWriteError } from './uploadFile.js';

/** Throws TOO_LARGE when the request announces (Content-Length) more than `limit` bytes. */
function refuseDeclared(req: IncomingMessage, limit: number): void {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    throw new VoxlabError(
      'TOO_LARGE',
      `The request body is ${declared} bytes; this endpoint takes at most ${limit}`,
      { limit },
    );
  }
}

/** IO_ERROR for a body that stopped arriving (the client went away, or was cut off for idling). */
function readError(e: unknown): VoxlabError {
  return new VoxlabError(
    'IO_ERROR',
    `The request body could not be read: ${(e as Error).message}`,
    undefined,
    { cause: e },
  );
}

/**
 * Streams the body into the new file `file` (created owner-only; it must not exist), one chunk at a time:
 * the next chunk is read only once the last one is written, so memory stays at a chunk whatever the size.
 * Resolves with the body's length in bytes. On any failure the partial file is removed and the rest of the
 * body is drained (the answer must close the connection), then: TOO_LARGE past `limit` bytes (announced or
 * sent), IO_ERROR when the client goes away, IO_ERROR or DISK_FULL when the file cannot be written.
 */
export async function streamBodyToFile(req: IncomingMessage, limit: number, file: string): Promise<number> {
  refuseDeclared(req, limit);
  const handle = await open(file, 'wx', 0o600).catch((e: unknown) => {
    throw uploadWriteError(file, e);
  });
  let size = 0;
  try {
    try {
      // destroyOnReturn false: leaving the loop on an error must not destroy the socket the answer goes out on.
      for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > limit)
          throw new VoxlabError('TOO_LARGE', `The request body is over ${limit} bytes`, { limit });
        // A write may store less than asked (a nearly full disk): write the rest until it fails.
        for (let at = 0; at < chunk.length;) {
          const { bytesWritten } = await handle.write(chunk, at).catch((e: unknown) => {
            throw uploadWriteError(file, e);
          });
          at += bytesWritten;
        }
      }
    } finally {
      await handle.close();
    }
  } catch (e) {
    // The rest of the body is read and dropped while the answer goes out (Node does not, once a reader has
    // started), so the client sees the answer instead of a stalled connection; the answer closes it.
    if (!req.destroyed) req.resume();
    await rm(file, { force: true });
    throw e instanceof VoxlabError ? e : readError(e);
  }
  return size;
}

/** The whole body (at most `limit` bytes). Throws TOO_LARGE beyond it, IO_ERROR when the client goes away. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  refuseDeclared(req, limit);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) {
        req.destroy();
        throw new VoxlabError('TOO_LARGE', `The request body is over ${limit} bytes`, { limit });
      }
      chunks.push(chunk);
    }
  } catch (e) {
    if (e instanceof VoxlabError) throw e;
    throw readError(e);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}

/** Parses a JSON body (empty = {}). Throws BAD_ARGUMENT for anything but a JSON object. */
export function parseJsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw new VoxlabError('BAD_ARGUMENT', `The request body is not JSON: ${(e as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new VoxlabError('BAD_ARGUMENT', 'The request body must be a JSON object');
  return value as Record<string, unknown>;
}
