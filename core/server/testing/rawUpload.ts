// Test helper: an HTTP upload whose body is generated as it goes (one reused chunk, written with
// backpressure), so a test can send hundreds of megabytes without holding them, stop half-way, or let the
// server cut it off.

import { request } from 'node:http';

export interface RawUploadOptions {
  /** Base URL of the server, e.g. http://127.0.0.1:1234. */
  readonly url: string;
  readonly method: 'PUT' | 'POST';
  /** Path and query, e.g. /api/dicom/uploads/up-1?name=IM1. */
  readonly path: string;
  readonly token: string;
  /** Bytes to send. */
  readonly size: number;
  /** Send Content-Length (default) or chunked transfer encoding. */
  readonly chunked?: boolean;
  /** Content-Length to announce instead of `size`. */
  readonly declared?: number;
  /** Called once `sent` bytes went out (before each chunk); returning true stops and destroys the request. */
  readonly stopAt?: (sent: number) => boolean | Promise<boolean>;
}

export interface RawUploadResult {
  /** HTTP status, when an answer came. */
  readonly status?: number;
  /** The answer's body as text. */
  readonly body?: string;
  /** The client-side error (the server closed or reset the connection, or stopAt stopped it). */
  readonly error?: string;
  /** Bytes written before the end. */
  readonly sent: number;
}

const CHUNK = Buffer.alloc(1 << 20, 0x5a);

/** Sends the upload; resolves with the answer or the client-side error, never rejects. */
export function rawUpload(o: RawUploadOptions): Promise<RawUploadResult> {
  return new Promise((resolve) => {
    let sent = 0;
    let answered = false;
    const headers: Record<string, string> = {
      'x-voxlab-token': o.token,
      'content-type': 'application/octet-stream',
    };
    if (o.chunked !== true) headers['content-length'] = String(o.declared ?? o.size);
    const req = request(new URL(o.path, o.url), { method: o.method, headers });
    req.on('response', (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => {
        resolve({ status: res.statusCode, body: Buffer.concat(parts).toString('utf8'), sent });
        req.destroy();
      });
      res.on('error', (e) => resolve({ status: res.statusCode, error: e.message, sent }));
    });
    req.on('error', (e) => {
      if (!answered) resolve({ error: e.message, sent });
    });
    const pump = async (): Promise<void> => {
      while (sent < o.size && !answered && !req.destroyed) {
        if (o.stopAt !== undefined && (await o.stopAt(sent))) {
          req.destroy(new Error('stopped by the test'));
          return;
        }
        const n = Math.min(CHUNK.length, o.size - sent);
        sent += n;
        if (!req.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n))) {
          await new Promise<void>((r) => {
            const go = () => {
              req.off('drain', go);
              req.off('close', go);
              r();
            };
            req.on('drain', go);
            req.on('close', go);
          });
        }
      }
      if (!answered && !req.destroyed) req.end();
    };
    void pump();
  });
}
