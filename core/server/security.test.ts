// The server is secure by default: a token on every request (401 otherwise), loopback binding, Host and
// Origin checks, no CORS, paths confined to the study, size limits, and label conflicts that keep both answers.

import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEADERS, createClient, httpTransport, type CoreApi } from '../api/index.js';
import { VoxlabError } from '../common/errors.js';
import { makeTempDirs, studyWithImages, tinyNiftiBytes } from '../datastore/testing/fixtures.js';
import { allowedHosts } from './security.js';
import { serveStudy } from './serveStudy.js';
import { TOKEN, failure, testServer } from './testing/fixtures.js';

type Server = Awaited<ReturnType<typeof testServer>>;
let s: Server;
let api: CoreApi;

/** A raw request (so tests can send any Host, Origin or body) → status, headers, body text. */
function raw(
  pathname: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${s.server.url}${pathname}`,
      { method: options.method ?? 'GET', headers: options.headers ?? {}, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
const auth = { [HEADERS.token]: TOKEN };

beforeAll(async () => {
  s = await testServer();
  api = createClient(httpTransport({ baseUrl: s.server.url, token: TOKEN }));
});
afterAll(async () => {
  await s.close();
});

describe('access token', () => {
  it.each(['/api/info', '/api/datastore', '/api/events', '/', '/index.html'])(
    'refuses %s without a token (401)',
    async (p) => {
      const r = await raw(p);
      expect(r.status).toBe(401);
      if (p.startsWith('/api/info')) expect(JSON.parse(r.body).error.name).toBe('VoxlabError');
    },
  );

  it('refuses a wrong token and a wrong cookie (401), accepts the right header', async () => {
    expect((await raw('/api/info', { headers: { [HEADERS.token]: `${TOKEN}x` } })).status).toBe(401);
    expect(
      (await raw('/api/info', { headers: { cookie: `voxlab_token_${s.server.port}=nope` } })).status,
    ).toBe(401);
    expect((await raw('/api/info', { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    expect((await raw('/api/info', { headers: auth })).status).toBe(200);
  });

  it('hands the UI an HttpOnly SameSite=Strict cookie for ?token= and redirects to /', async () => {
    const r = await raw(`/?token=${TOKEN}`);
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/');
    const cookie = String(r.headers['set-cookie']);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const page = await raw('/', { headers: { cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect((await raw('/?token=wrong')).status).toBe(401);
  });

  it('the client reports 401 as a coded error', async () => {
    const anonymous = createClient(httpTransport({ baseUrl: s.server.url }));
    const e = await failure(anonymous.server.info());
    expect(e).toBeInstanceOf(VoxlabError);
    expect(e.details?.status).toBe(401);
  });
});

describe('origins and hosts', () => {
  it('refuses a foreign Host header (DNS rebinding) with 403', async () => {
    expect(
      (await raw('/api/info', { headers: { ...auth, host: `evil.example:${s.server.port}` } })).status,
    ).toBe(403);
    expect(
      (await raw('/api/info', { headers: { ...auth, host: `localhost:${s.server.port}` } })).status,
    ).toBe(200);
  });

  it('refuses cross-origin requests and preflights; sends no CORS headers', async () => {
    const foreign = await raw('/api/info', { headers: { ...auth, origin: 'http://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    expect(
      (await raw('/api/info', { method: 'OPTIONS', headers: { origin: 'http://evil.example' } })).status,
    ).toBe(403);
    const same = await raw('/api/info', { headers: { ...auth, origin: s.server.url } });
    expect(same.status).toBe(200);
    expect(same.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a form-style (non-JSON) body on JSON routes (415)', async () => {
    const r = await raw('/api/train', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(r.status).toBe(415);
  });
});

describe('paths stay inside the study', () => {
  it.each([
    ['../outside.nii', 'a parent folder'],
    ['/etc/passwd', 'an absolute path'],
    ['images/../../outside.nii', 'a path that climbs out'],
    ['C:/Windows/win.ini', 'a Windows drive path'],
  ])('refuses %s (%s) with 403', async (p) => {
    const e = await failure(api.datastore.add({ path: p, author: 'a' }));
    expect(e).toBeInstanceOf(VoxlabError);
    expect(e.details?.reason).toBe('outside-study');
    const r = await raw('/api/datastore/images', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ path: p, author: 'a' }),
    });
    expect(r.status).toBe(403);
  });

  it('refuses a symbolic link that leads out of the study', async () => {
    const outside = path.join(path.dirname(s.dir), 'secret.nii');
    writeFileSync(outside, 'not for you');
    symlinkSync(outside, path.join(s.dir, 'link.nii'));
    const e = await failure(api.models.import({ modelId: 'm-link', format: 'onnx', path: 'link.nii' }));
    expect(e.details?.reason).toBe('outside-study');
  });

  it('serves no file outside the UI folder', async () => {
    for (const p of ['/..%2f..%2fetc%2fpasswd', '/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd']) {
      const r = await raw(p, { headers: auth });
      expect(r.status, p).toBe(404);
      expect(r.body).not.toContain('root:');
    }
  });

  it('refuses ids that could name other folders', async () => {
    const e = await failure(api.labels.get({ imageId: '..' }));
    expect(e.code).toBe('BAD_ARGUMENT');
    // The server checks too, whatever a client sends: '%2e%2e' is normalised away (no route), '.x' is no id.
    expect((await raw('/api/datastore/images/%2e%2e/label', { headers: auth })).status).toBe(404);
    expect((await raw('/api/datastore/images/.hidden/label', { headers: auth })).status).toBe(400);
  });
});

describe('size limits', () => {
  it('refuses a JSON body over 1 MiB with 413', async () => {
    const big = JSON.stringify({ config: { pad: 'x'.repeat(1_100_000) } });
    const r = await raw('/api/train', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: big,
    });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body).error.code).toBe('TOO_LARGE');
  });

  it('refuses an upload whose declared length is over the method limit', async () => {
    const r = await raw('/api/models/huge?format=onnx', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/octet-stream', 'content-length': String(2 ** 31) },
    });
    expect(r.status).toBe(413);
  });

  it('refuses unknown arguments', async () => {
    const e = await failure(api.labels.get({ imageId: 'img-a', extra: 1 } as never));
    expect(e.code).toBe('BAD_ARGUMENT');
    expect((await raw('/api/datastore/images/img-a/label?extra=1', { headers: auth })).status).toBe(400);
  });
});

describe('two people labeling at once', () => {
  it('reports the stale write as LABEL_CONFLICT (409) and keeps both versions with their authors', async () => {
    const ana = createClient(httpTransport({ baseUrl: s.server.url, token: TOKEN }));
    const ben = createClient(httpTransport({ baseUrl: s.server.url, token: TOKEN }));
    const seen = (await ana.labels.get({ imageId: 'img-c' })).version;
    expect((await ben.labels.get({ imageId: 'img-c' })).version).toBe(seen);
    const first = await ana.labels.set({
      imageId: 'img-c',
      label: 'control',
      author: 'ana',
      expectedVersion: seen,
    });
    const e = await failure(
      ben.labels.set({ imageId: 'img-c', label: 'lesion', author: 'ben', expectedVersion: seen }),
    );
    expect(e).toBeInstanceOf(VoxlabError);
    expect(e.code).toBe('LABEL_CONFLICT');
    expect(e.details).toMatchObject({ currentVersion: first.version, expectedVersion: seen });
    const state = await ana.labels.get({ imageId: 'img-c' });
    expect(state).toMatchObject({ label: 'control', author: 'ana' });
    expect(state.pendingConflicts.map((v) => [v.label, v.author])).toEqual([['lesion', 'ben']]);
    const history = await ana.labels.history({ imageId: 'img-c' });
    expect(history.map((v) => [v.label, v.author, v.conflict])).toEqual([
      ['control', 'ana', false],
      ['lesion', 'ben', true],
    ]);
    const r = await raw('/api/datastore/images/img-c/label', {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ label: 'x', author: 'cy', expectedVersion: seen }),
    });
    expect(r.status).toBe(409);
  });

  it('sends simultaneous writes against one version: exactly one wins, the others are kept as conflicts', async () => {
    const writers = ['w1', 'w2', 'w3', 'w4'];
    const base = (await api.labels.get({ imageId: 'img-b' })).version;
    const outcomes = await Promise.allSettled(
      writers.map((w) => api.labels.set({ imageId: 'img-b', label: w, author: w, expectedVersion: base })),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(rejected.map((o) => (o.reason as VoxlabError).code)).toEqual([
      'LABEL_CONFLICT',
      'LABEL_CONFLICT',
      'LABEL_CONFLICT',
    ]);
    const history = await api.labels.history({ imageId: 'img-b' });
    expect(
      history
        .filter((v) => v.version > base)
        .map((v) => v.author)
        .sort(),
    ).toEqual(writers);
  });
});

describe('binding', () => {
  it('binds to loopback (127.0.0.1) by default and makes a fresh token', async () => {
    const temp = makeTempDirs();
    const root = temp.make('voxlab-bind-');
    (await studyWithImages(root, ['x1'])).close();
    const served = await serveStudy({ studyDir: path.join(root, 'study'), rendererDir: null });
    try {
      const address = served.server.address();
      expect(typeof address === 'object' && address !== null ? address.address : address).toBe('127.0.0.1');
      expect(served.exposed).toBe(false);
      expect(served.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(served.openUrl).toBe(`${served.url}/?token=${served.token}`);
    } finally {
      await served.close();
      temp.cleanup();
    }
  });
});

describe('study-relative paths that are fine', () => {
  it('adds a scan that lies inside the study folder', async () => {
    mkdirSync(path.join(s.dir, 'incoming'), { recursive: true });
    writeFileSync(path.join(s.dir, 'incoming', 'new-scan.nii'), tinyNiftiBytes([4, 5, 6], 3));
    const added = await api.datastore.add({ path: 'incoming/new-scan.nii', author: 'ana' });
    expect(added.id).toBe('new-scan');
  });
});

describe('allowedHosts', () => {
  it.each([
    ['127.0.0.1', [], ['127.0.0.1:9', 'localhost:9', '[::1]:9'], ['evil.example:9', '127.0.0.1:10']],
    ['0.0.0.0', ['lab.example'], ['lab.example:9', 'localhost:9'], ['evil.example:9']],
    ['10.0.0.5', [], ['10.0.0.5:9'], ['localhost:9', 'evil.example:9']],
  ] as const)('bound to %s (extra %j) accepts %j, refuses %j', (host, extra, ok, bad) => {
    const set = allowedHosts(host, 9, extra)!;
    for (const h of ok) expect(set.has(h), h).toBe(true);
    for (const h of bad) expect(set.has(h), h).toBe(false);
  });

  it('accepts any Host only when bound to every interface without a name', () => {
    expect(allowedHosts('0.0.0.0', 9)).toBeNull();
  });
});
