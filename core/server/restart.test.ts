// Issue #10: a study server restarted on the same study keeps its access token (pages and scripts holding
// it keep working) until --rotate-token; a browser refused a page gets a page in words, not raw JSON.

import { request } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEADERS } from '../api/index.js';
import { makeTempDirs, studyWithImages } from '../datastore/testing/fixtures.js';
import { serveStudy } from './serveStudy.js';

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

const temp = makeTempDirs();
let studyDir: string;

beforeAll(async () => {
  const root = temp.make('voxlab-restart-');
  (await studyWithImages(root, ['x1'])).close();
  studyDir = path.join(root, 'study');
});
afterAll(() => temp.cleanup());

describe('restarting voxlab serve on the same study', () => {
  it('keeps the token and the port-bound URL working across a restart, until --rotate-token', async () => {
    const first = await serveStudy({ studyDir, rendererDir: null });
    const { port, token } = first;
    expect(first.tokenOrigin).toBe('new');
    await first.close();

    const second = await serveStudy({ studyDir, port, rendererDir: null });
    try {
      expect(second.tokenOrigin).toBe('kept');
      expect(second.token).toBe(token);
      const info = await get(`${second.url}/api/info`, { [HEADERS.token]: token });
      expect(info.status).toBe(200);
    } finally {
      await second.close();
    }

    const rotated = await serveStudy({ studyDir, port, rendererDir: null, rotateToken: true });
    try {
      expect(rotated.tokenOrigin).toBe('new');
      expect(rotated.token).not.toBe(token);
      expect((await get(`${rotated.url}/api/info`, { [HEADERS.token]: token })).status).toBe(401);
      expect((await get(`${rotated.url}/api/info`, { [HEADERS.token]: rotated.token })).status).toBe(200);
    } finally {
      await rotated.close();
    }
  });
});

describe('pages for a refused browser', () => {
  it('answers a page request without the token with a page that says what to do; scripts still get JSON', async () => {
    const served = await serveStudy({ studyDir, rendererDir: null });
    try {
      const page = await get(`${served.url}/`, { accept: 'text/html,application/xhtml+xml' });
      expect(page.status).toBe(401);
      expect(page.type).toMatch(/^text\/html/);
      expect(page.body).toMatch(/needs its access link/);
      expect(page.body).toMatch(/rotate-token/);
      expect(page.body).not.toMatch(/<script/);
      const api = await get(`${served.url}/api/info`, { accept: 'text/html' });
      expect(api.status).toBe(401);
      expect(api.type).toMatch(/^application\/json/);
      expect(JSON.parse(api.body)).toMatchObject({ error: { code: 'BAD_ARGUMENT' } });
      const missing = await get(`${served.url}/no-such-page`, { accept: 'text/html', [HEADERS.token]: served.token });
      expect(missing.status).toBe(404);
      expect(missing.body).toMatch(/No such page/);
      expect(missing.body).toMatch(/href="\/"/);
    } finally {
      await served.close();
    }
  });

  it('escapes what it echoes', async () => {
    const served = await serveStudy({ studyDir, rendererDir: null });
    try {
      const page = await get(`${served.url}/%3Cscript%3Ealert(1)%3C/script%3E`, { accept: 'text/html', [HEADERS.token]: served.token });
      expect(page.status).toBe(404);
      expect(page.body).not.toMatch(/<script>alert/);
    } finally {
      await served.close();
    }
  });
});
