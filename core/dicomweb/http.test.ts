// Retries and error mapping against a scripted local server: 503/429 retried with the given delays, 401/403
// refused, other 4xx not retried, a dead port and a stalled answer unreachable after the retries, an abort
// cancelled; the authorization value in no message.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from './testing/orthanc.js';
import { searchSeries } from './qido.js';

let server: Server | null = null;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => (server === null ? r(null) : server.close(r)));
  server = null;
});

/** A server answering request number i with `script(i, req, res)`; resolves to its DICOMweb root. */
async function scripted(script: (i: number, req: IncomingMessage, res: ServerResponse) => void): Promise<{ root: string; seen: IncomingMessage[] }> {
  const seen: IncomingMessage[] = [];
  server = createServer((req, res) => {
    seen.push(req);
    script(seen.length - 1, req, res);
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const address = server.address() as { port: number };
  return { root: `http://127.0.0.1:${address.port}/dicom-web`, seen };
}

const SECRET = 'Bearer s3cret-value';
const fast = { retryDelaysMs: [1, 1, 1], authorization: SECRET };
const row = { '0020000D': { vr: 'UI', Value: ['1.2'] }, '0020000E': { vr: 'UI', Value: ['1.2.3'] }, '00080060': { vr: 'CS', Value: ['MR'] } };
const json = (res: ServerResponse, body: unknown) => res.writeHead(200, { 'Content-Type': 'application/dicom+json' }).end(JSON.stringify(body));

/** The error `promise` rejects with. */
async function failure(promise: Promise<unknown>): Promise<Error & { code?: string; details?: Record<string, unknown> }> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe('DICOMweb requests: retries and errors', () => {
  it.each([[503], [429], [502]])('retries HTTP %i and then succeeds, sending the authorization header each time', async (status) => {
    const { root, seen } = await scripted((i, _req, res) => (i < 2 ? res.writeHead(status).end('busy') : json(res, [row])));
    const rows = await searchSeries({ url: root, ...fast });
    expect(rows.map((r) => r.seriesInstanceUid)).toEqual(['1.2.3']);
    expect(seen).toHaveLength(3);
    expect(seen.every((r) => r.headers.authorization === SECRET)).toBe(true);
  });

  it('gives REMOTE_UNREACHABLE naming the URL after 1 + 3 tries of 503', async () => {
    const { root, seen } = await scripted((_i, _req, res) => res.writeHead(503).end(`no ${SECRET}`));
    const e = await failure(searchSeries({ url: root, ...fast }));
    expect(e).toMatchObject({ code: 'REMOTE_UNREACHABLE', message: expect.stringContaining(root) });
    expect(e.message).toMatch(/4 tries: HTTP 503/);
    expect(JSON.stringify({ m: e.message, d: e.details })).not.toContain('s3cret');
    expect(seen).toHaveLength(4);
  });

  it.each([[401], [403]])('gives REMOTE_REFUSED for HTTP %i at once, without the secret', async (status) => {
    const { root, seen } = await scripted((_i, _req, res) => res.writeHead(status).end(`you sent ${SECRET}`));
    const e = await failure(searchSeries({ url: root, ...fast }));
    expect(e).toMatchObject({ code: 'REMOTE_REFUSED', message: `the PACS at ${root} refused access (HTTP ${status}): check the authorization header` });
    expect(seen).toHaveLength(1);
  });

  it('gives REMOTE_ERROR for HTTP 404 without retrying, quoting the server with the secret redacted', async () => {
    const { root, seen } = await scripted((_i, _req, res) => res.writeHead(404).end(`unknown resource; header was ${SECRET}`));
    const e = await failure(searchSeries({ url: root, ...fast }));
    expect(e).toMatchObject({ code: 'REMOTE_ERROR', details: { status: 404 } });
    expect(e.message).toContain('unknown resource');
    expect(e.message).not.toContain('s3cret');
    expect(seen).toHaveLength(1);
  });

  it('gives REMOTE_ERROR for an answer that is not a JSON list, without quoting it', async () => {
    const { root } = await scripted((_i, _req, res) => res.writeHead(200).end('{"PatientName": "Doe^Jane"'));
    const e = await failure(searchSeries({ url: root, ...fast }));
    expect(e).toMatchObject({ code: 'REMOTE_ERROR' });
    expect(e.message).not.toContain('Doe');
  });

  it('gives REMOTE_UNREACHABLE for a port nobody listens on', async () => {
    const port = await freePort();
    const e = await failure(searchSeries({ url: `http://127.0.0.1:${port}/dicom-web`, ...fast }));
    expect(e).toMatchObject({ code: 'REMOTE_UNREACHABLE', message: expect.stringContaining(`127.0.0.1:${port}`) });
  });

  it('counts a server that stops sending as a dropped connection', async () => {
    const { root, seen } = await scripted(() => undefined); // never answers
    const e = await failure(searchSeries({ url: root, ...fast, stallTimeoutMs: 50 }));
    expect(e).toMatchObject({ code: 'REMOTE_UNREACHABLE', message: expect.stringMatching(/no data for 0\.05 s/) });
    expect(seen).toHaveLength(4);
  });

  it('gives CANCELLED when the caller aborts, also during a wait between tries', async () => {
    const { root } = await scripted((_i, _req, res) => res.writeHead(503).end());
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const e = await failure(searchSeries({ url: root, retryDelaysMs: [10_000] }, { signal: controller.signal }));
    expect(e).toMatchObject({ code: 'CANCELLED' });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('pages with limit and offset until a short page', async () => {
    const uids = Array.from({ length: 5 }, (_, i) => `1.2.${i + 1}`);
    const { root, seen } = await scripted((_i, req, res) => {
      const q = new URL(req.url!, 'http://x').searchParams;
      const offset = Number(q.get('offset'));
      const page = uids.slice(offset, offset + Number(q.get('limit')));
      json(res, page.map((uid) => ({ ...row, '0020000E': { vr: 'UI', Value: [uid] } })));
    });
    const rows = await searchSeries({ url: root, ...fast }, { pageSize: 2 });
    expect(rows.map((r) => r.seriesInstanceUid)).toEqual(uids);
    expect(seen.map((r) => new URL(r.url!, 'http://x').searchParams.get('offset'))).toEqual(['0', '2', '4']);
  });

  it('stops paging when a server ignores offset (no endless loop)', async () => {
    const { root, seen } = await scripted((_i, _req, res) => json(res, [row, { ...row, '0020000E': { vr: 'UI', Value: ['1.2.4'] } }]));
    const rows = await searchSeries({ url: root, ...fast }, { pageSize: 2 });
    expect(rows).toHaveLength(2);
    expect(seen).toHaveLength(2);
  });
});
