// Every contract method is reachable through the generated HTTP glue: the generic client (createClient over
// httpTransport) reaches each handler through the generic router, and answers or coded errors come back.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METHOD_NAMES, createClient, httpTransport, type CoreApi, type MethodName } from '../api/index.js';
import { VoxlabError } from '../common/errors.js';
import { EVERY_METHOD, TOKEN, failure, testServer } from './testing/fixtures.js';

type Server = Awaited<ReturnType<typeof testServer>>;
let server: Server;
let api: CoreApi;

beforeAll(async () => {
  server = await testServer();
  api = createClient(httpTransport({ baseUrl: server.server.url, token: TOKEN }));
});
afterAll(async () => {
  await server.close();
});

/** Calls `method` through the grouped client, as a UI would: api.group.name(args[, bytes]). */
export async function callThroughClient(
  client: CoreApi,
  method: MethodName,
): Promise<{ value?: unknown; error?: VoxlabError }> {
  const [group, name] = method.split('.') as [string, string];
  const fn = (
    client as unknown as Record<string, Record<string, (a: unknown, d?: Uint8Array) => Promise<unknown>>>
  )[group]![name]!;
  const c = EVERY_METHOD[method];
  try {
    return { value: await fn(c.args, c.data?.()) };
  } catch (e) {
    return { error: e as VoxlabError };
  }
}

describe('HTTP transport generated from METHODS', () => {
  it('reaches the handler of every method, with answers or coded errors', async () => {
    for (const method of Object.keys(EVERY_METHOD) as MethodName[]) {
      const out = await callThroughClient(api, method);
      if (EVERY_METHOD[method].ok) expect(out.error, `${method}: ${out.error?.message}`).toBeUndefined();
      else {
        expect(out.error, method).toBeInstanceOf(VoxlabError);
        expect(out.error!.code, `${method}: ${out.error!.message}`).not.toBe('INTERNAL');
      }
    }
    expect([...server.seen].sort()).toEqual([...METHOD_NAMES].sort());
  });

  it('carries binary answers with their metadata: a volume in Fortran order', async () => {
    const { meta, data } = await api.datastore.volume({ imageId: 'img-a' });
    expect(meta.shape).toEqual([4, 5, 6]);
    expect(meta.dtype).toBe('float32');
    expect(meta.affine).toHaveLength(16);
    expect(new Float32Array(data)).toHaveLength(4 * 5 * 6);
    expect(new Float32Array(data)[0]).toBe(7);
    expect(meta.stats).toMatchObject({ min: 7, max: 7, mean: 7 });
  });

  it('round-trips a labelmap upload exactly', async () => {
    const labels = Uint8Array.from({ length: 120 }, (_, i) => i % 3);
    const saved = await api.labelmaps.save({ imageId: 'img-c', author: 'ana', expectedVersion: 0 }, labels);
    expect(saved.version).toBe(1);
    const back = await api.labelmaps.get({ imageId: 'img-c' });
    expect(new Uint8Array(back.data)).toEqual(labels);
    expect(back.meta.author).toBe('ana');
  });

  it('keeps VoxlabError codes and details across HTTP', async () => {
    const e = await failure(api.datastore.image({ imageId: 'missing' }));
    expect(e).toBeInstanceOf(VoxlabError);
    expect(e).toMatchObject({ code: 'NOT_FOUND', details: { imageId: 'missing' } });
    const bad = await failure(api.labels.set({ imageId: '../etc', label: 'x', author: 'a' }));
    expect(bad).toMatchObject({ code: 'BAD_ARGUMENT' });
  });

  it('streams job events and ends a cancelled-or-failed job with a coded error', async () => {
    const events: string[] = [];
    const stop = api.events.subscribe((e) => events.push(e.type));
    await new Promise((r) => setTimeout(r, 100)); // the stream is open
    const job = await api.train.resume({ runId: 'still-no-such-run' });
    const done = await api.waitForJob(job.id);
    stop();
    expect(done.state).toBe('failed');
    expect(done.error?.code).toBe('NOT_FOUND');
    expect(events).toContain('job');
  });
});
