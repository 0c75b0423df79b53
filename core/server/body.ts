// Reading a request body with a hard size limit: the declared length is checked first, then the bytes as
// they arrive, so an over-long upload is cut off instead of filling memory.

import type { IncomingMessage } from 'node:http';
import { VoxlabError } from '../common/errors.js';

/** The whole body (at most `limit` bytes). Throws TOO_LARGE beyond it, IO_ERROR when the client goes away. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    throw new VoxlabError(
      'TOO_LARGE',
      `The request body is ${declared} bytes; this endpoint takes at most ${limit}`,
      { limit },
    );
  }
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
    throw new VoxlabError(
      'IO_ERROR',
      `The request body could not be read: ${(e as Error).message}`,
      undefined,
      { cause: e },
    );
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
