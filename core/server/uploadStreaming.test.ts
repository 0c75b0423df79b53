// Uploads go to a temp file in the study, never whole into memory (issue #15 item 3): over HTTP streamed
// there (a size limit enforced while streaming, nothing left behind by a refused or abandoned upload),
// over IPC written there, and handed to the same handler, which moves or reads it.

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpcClient, createClient, httpTransport, openEnvelope, type CoreApi } from '../api/index.js';
import { makeTempDirs } from '../datastore/testing/fixtures.js';
import { streamBodyToFile } from './body.js';
import { lingerBeforeClose } from './lingeringClose.js';
import { serveRpc } from './rpcHost.js';
import { uploadDir } from './service/dicomUploads.js';
import { TOKEN, testServer } from './testing/fixtures.js';
import { rawUpload } from './testing/rawUpload.js';
import { UPLOAD_TEMP_DIR } from './uploadFile.js';

type Served = Awaited<ReturnType<typeof testServer>>;
let served: Served;
let api: CoreApi;
const temp = makeTempDirs();

beforeAll(async () => {
  served = await testServer();
  api = createClient(httpTransport({ baseUrl: served.server.url, token: TOKEN }));
});
afterAll(async () => {
  await served.close();
  temp.cleanup();
});

/** The files in the study's upload temp folder. */
const tempFiles = () =>
  existsSync(path.join(served.dir, UPLOAD_TEMP_DIR))
    ? readdirSync(path.join(served.dir, UPLOAD_TEMP_DIR))
    : [];

/** Waits until `check` holds (polling every 20 ms), at most `ms`. */
async function until(check: () => boolean, ms = 5000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 20)))
    if (check()) return true;
  return check();
}

describe('streamBodyToFile', () => {
  it('stops past its limit while streaming (chunked, no length announced): TOO_LARGE, the partial file removed', async () => {
    const file = path.join(temp.make('voxlab-body-'), '.upload.1-test.tmp');
    let seen: string | number = 'none';
    const server: Server = createServer((req, res) => {
      streamBodyToFile(req, 1 << 20, file).then(
        (size) => res.end(String((seen = size))),
        (e: { code: string }) => {
          seen = e.code;
          lingerBeforeClose(res); // as voxlab serve does: the client is still sending
          res.writeHead(413, { connection: 'close' }).end(e.code);
        },
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const out = await rawUpload({ url, method: 'PUT', path: '/', token: '', size: 8 << 20, chunked: true });
      expect(seen).toBe('TOO_LARGE');
      expect(out).toMatchObject({ status: 413, body: 'TOO_LARGE' }); // the answer reaches the client
      expect(existsSync(file)).toBe(false);
      const small = await rawUpload({ url, method: 'PUT', path: '/', token: '', size: 1000, chunked: true });
      expect(small).toMatchObject({ status: 200, body: '1000' });
      expect(statSync(file).size).toBe(1000);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('uploads over HTTP', () => {
  it('dicom.stage: the body lands in the upload folder, moved out of a temp file named like atomicWrite temp files', async () => {
    let during: string[] = [];
    const out = await rawUpload({
      url: served.server.url,
      method: 'PUT',
      path: '/api/dicom/uploads/up-http?name=IM0001',
      token: TOKEN,
      size: 6 << 20,
      stopAt: async (sent) => {
        if (sent === 3 << 20) {
          await until(() => tempFiles().length > 0);
          during = tempFiles();
        }
        return false;
      },
    });
    expect(out.status, out.body).toBe(200);
    expect(JSON.parse(out.body!)).toEqual({ uploadId: 'up-http', files: 1, bytes: 6 << 20 });
    expect(during).toHaveLength(1);
    expect(during[0]).toMatch(new RegExp(`^\\.upload\\.${process.pid}-[0-9a-f]{12}\\.tmp$`));
    expect(tempFiles()).toEqual([]);
    const [stored] = readdirSync(uploadDir(served.dir, 'up-http'));
    expect(
      readFileSync(path.join(uploadDir(served.dir, 'up-http'), stored!)).equals(Buffer.alloc(6 << 20, 0x5a)),
    ).toBe(true);
  });

  it('a body announced over the limit is refused before it is read: 413 TOO_LARGE, no file', async () => {
    const out = await rawUpload({
      url: served.server.url,
      method: 'PUT',
      path: '/api/dicom/uploads/up-big?name=IM0001',
      token: TOKEN,
      size: 1 << 20,
      declared: 2 ** 30 + 1,
    });
    expect(out.status).toBe(413);
    expect(JSON.parse(out.body!).error.code).toBe('TOO_LARGE');
    expect(tempFiles()).toEqual([]);
    expect(existsSync(uploadDir(served.dir, 'up-big'))).toBe(false);
  });

  it('a client gone mid-upload leaves no file, and the server goes on answering', async () => {
    let stored = 0;
    const out = await rawUpload({
      url: served.server.url,
      method: 'PUT',
      path: '/api/dicom/uploads/up-gone?name=IM0001',
      token: TOKEN,
      size: 64 << 20,
      // Stop once the server has written part of the body to its temp file (proof that one existed).
      stopAt: async (sent) => {
        if (sent < 8 << 20) return false;
        await until(() =>
          tempFiles().some((f) => (stored = statSync(path.join(served.dir, UPLOAD_TEMP_DIR, f)).size) > 0),
        );
        return true;
      },
    });
    expect(out.error).toBeDefined();
    expect(stored).toBeGreaterThan(0);
    expect(await until(() => tempFiles().length === 0)).toBe(true);
    expect(existsSync(uploadDir(served.dir, 'up-gone'))).toBe(false);
    expect((await api.server.info({})).name).toBe('voxlab');
  });

  it('a refused call (a bad model) removes its temp file too', async () => {
    const e = await api.models
      .import({ modelId: 'junk', format: 'onnx' }, new Uint8Array(4096).fill(1))
      .catch((x: unknown) => x);
    expect((e as { code?: string }).code).toBe('WEIGHTS_INVALID');
    expect(tempFiles()).toEqual([]);
  });
});

describe('uploads over IPC', () => {
  it('the ArrayBuffer goes through a temp file to the same handler, and the temp file is removed', async () => {
    const { port1, port2 } = new MessageChannel();
    const stop = serveRpc(
      {
        post: (m) => port1.postMessage(m),
        listen: (l) => {
          port1.on('message', l);
          return () => port1.off('message', l);
        },
      },
      served.service,
    );
    const rpc = new RpcClient({
      post: (m) => port2.postMessage(m),
      listen: (l) => {
        port2.on('message', l);
        return () => port2.off('message', l);
      },
    });
    try {
      served.seen.clear();
      const bytes = new Uint8Array(3000).fill(9);
      const answer = openEnvelope(
        await rpc.call('dicom.stage', { uploadId: 'up-ipc', name: 'IM0001' }, bytes.slice().buffer, TOKEN),
      );
      expect(answer.result).toEqual({ uploadId: 'up-ipc', files: 1, bytes: 3000 });
      expect(served.seen.has('dicom.stage')).toBe(true);
      const [stored] = readdirSync(uploadDir(served.dir, 'up-ipc'));
      expect(readFileSync(path.join(uploadDir(served.dir, 'up-ipc'), stored!))).toEqual(Buffer.from(bytes));
      expect(tempFiles()).toEqual([]);
    } finally {
      stop();
      port1.close();
      port2.close();
    }
  });
});
