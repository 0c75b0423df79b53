// STOW-RS (DICOM PS3.18 section 10.5): DICOM files sent to the server in one multipart/related request, and
// the server's Store Instances Response read for what it stored and what it refused.

import { randomUUID } from 'node:crypto';
import { VoxlabError } from '../common/errors.js';
import { checkConnection, endpoint, type DicomwebConnection } from './connection.js';
import { readJson, send, withRetries } from './http.js';
import { buildMultipart } from './multipart.js';

export interface StoreResult {
  /** Instances the server confirmed (ReferencedSOPSequence). */
  readonly stored: number;
  /** Instances it refused: 0 here (a refusal throws). */
  readonly failed: number;
  /** The server's Store Instances Response (DICOM JSON), as sent. */
  readonly response: unknown;
}

/** Items of sequence `tag` in a DICOM JSON object. */
function sequenceLength(response: unknown, tag: string): number {
  const attr = (typeof response === 'object' && response !== null ? (response as Record<string, unknown>)[tag] : undefined) as { Value?: unknown } | undefined;
  return Array.isArray(attr?.Value) ? attr.Value.length : 0;
}

/**
 * Stores `files` (DICOM Part 10 bytes) on the server by STOW-RS `POST {root}/studies`. Retried as any request
 * (storing the same instance twice is harmless). REMOTE_ERROR, naming how many failed, when the response lists
 * failed instances (FailedSOPSequence) or confirms fewer than were sent; REMOTE_REFUSED for 401/403;
 * REMOTE_UNREACHABLE after the retries; CANCELLED; BAD_ARGUMENT for an empty list.
 */
export async function storeInstances(conn: DicomwebConnection, files: readonly Uint8Array[], options: { signal?: AbortSignal } = {}): Promise<StoreResult> {
  if (!Array.isArray(files) || files.length === 0 || files.some((f) => !(f instanceof Uint8Array) || f.length === 0))
    throw new VoxlabError('BAD_ARGUMENT', 'storeInstances: give at least one non-empty DICOM file');
  const root = checkConnection(conn);
  const boundary = `voxlab-${randomUUID()}`;
  const body = buildMultipart(files.map((f) => ({ contentType: 'application/dicom', body: f })), boundary);
  const what = `the storage of ${files.length} instance(s)`;
  const { status, response } = await withRetries(conn, what, options.signal, async (attempt) => {
    // 400 and 409 carry a Store Instances Response naming the failures (PS3.18 table 10.5.3-1); 202: some failed.
    const res = await send(
      conn,
      endpoint(conn, 'studies'),
      { method: 'POST', headers: { 'Content-Type': `multipart/related; type="application/dicom"; boundary=${boundary}`, Accept: 'application/dicom+json' }, body },
      attempt,
      [400, 409],
    );
    const status = res.status;
    const json = await readJson(conn, res, 'a storage answer', attempt).catch((e: unknown) => {
      if (status === 400 || status === 409) throw new VoxlabError('REMOTE_ERROR', `the PACS at ${root} refused the storage (HTTP ${status})`, { url: root, status });
      throw e;
    });
    return { status, response: json };
  });
  // A 200 without a body (some servers) confirms everything; otherwise the referenced instances count.
  const stored = response === null && status === 200 ? files.length : sequenceLength(response, '00081199');
  const failed = Math.max(sequenceLength(response, '00081198'), files.length - stored);
  if (failed > 0 || status === 400 || status === 409)
    throw new VoxlabError('REMOTE_ERROR', `the PACS at ${root} stored ${stored} of ${files.length} instance(s); ${failed} failed (HTTP ${status})`, {
      url: root,
      status,
      stored,
      failed,
    });
  return { stored, failed: 0, response };
}
