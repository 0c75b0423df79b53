// Classes and segments over HTTP, as the app and scripts use them: add, rename (labels move to the new
// name as new versions, history kept), recolour, re-key, refused input with coded errors, and the events
// other clients rely on to refresh.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, httpTransport, type ApiEvent, type CoreApi } from '../../api/index.js';
import { TOKEN, failure, testServer } from '../testing/fixtures.js';

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

/** Events published while `f` runs (the stream is given time to open and to deliver). */
async function eventsDuring(f: () => Promise<unknown>): Promise<ApiEvent[]> {
  const seen: ApiEvent[] = [];
  const stop = api.events.subscribe((e) => seen.push(e));
  await new Promise((r) => setTimeout(r, 100));
  try {
    await f();
    await new Promise((r) => setTimeout(r, 100));
  } finally {
    stop();
  }
  return seen;
}

describe('classes over HTTP', () => {
  it('registers classes from labels and lists them in display order with counts', async () => {
    await api.labels.set({ imageId: 'img-a', label: 'M', author: 'ana' });
    await api.labels.set({ imageId: 'img-b', label: 'F', author: 'ana' });
    await api.labels.set({ imageId: 'img-c', label: 'F', author: 'ana' });
    const list = await api.classes.list({});
    expect(list.map((c) => [c.name, c.key, c.position, c.count])).toEqual([
      ['M', 1, 0, 1],
      ['F', 2, 1, 2],
    ]);
    expect(list.every((c) => /^#[0-9a-f]{6}$/.test(c.colour))).toBe(true);
    expect(await api.labels.classes({})).toEqual(['M', 'F']);
    expect((await api.server.info({})).labels).toEqual(['M', 'F']);
  });

  it('adds a class and tells other clients', async () => {
    const events = await eventsDuring(() =>
      api.classes.add({ name: 'unsure', colour: '#ABCDEF', author: 'ana' }),
    );
    expect(events.map((e) => e.type)).toContain('classes.changed');
    const added = (await api.classes.list({})).find((c) => c.name === 'unsure');
    expect(added).toEqual({ name: 'unsure', colour: '#abcdef', key: 3, position: 2, count: 0 });
  });

  it('renames through PUT /classes/{name}: labels move as new versions, with label.changed per image', async () => {
    const events = await eventsDuring(() =>
      api.classes.update({ name: 'F', newName: 'female / F', author: 'ben' }),
    );
    const changed = events
      .filter((e) => e.type === 'label.changed')
      .map((e) => (e as { imageId: string }).imageId);
    expect(changed.sort()).toEqual(['img-b', 'img-c']);
    expect(events.map((e) => e.type)).toContain('classes.changed');
    const history = await api.labels.history({ imageId: 'img-b' });
    expect(history.map((v) => [v.version, v.label, v.author, v.note])).toEqual([
      [1, 'F', 'ana', null],
      [2, 'female / F', 'ben', 'renamed from F'],
    ]);
    expect((await api.datastore.image({ imageId: 'img-c' })).label).toBe('female / F');
    const renamed = await api.classes.update({
      name: 'female / F',
      colour: '#010203',
      key: 9,
      author: 'ben',
    });
    expect(renamed).toMatchObject({ name: 'female / F', colour: '#010203', key: 9, count: 2, position: 1 });
  });

  it('refuses bad input with coded errors in words', async () => {
    expect(await failure(api.classes.update({ name: 'nope', colour: '#000000', author: 'a' }))).toMatchObject(
      { code: 'NOT_FOUND' },
    );
    expect(await failure(api.classes.update({ name: 'M', newName: 'unsure', author: 'a' }))).toMatchObject({
      code: 'ALREADY_EXISTS',
    });
    const held = await failure(api.classes.update({ name: 'M', key: 9, author: 'a' }));
    expect(held).toMatchObject({ code: 'BAD_ARGUMENT' });
    expect(held.message).toContain('female / F');
    expect(await failure(api.classes.add({ name: '', author: 'a' }))).toMatchObject({ code: 'BAD_ARGUMENT' });
    expect(await failure(api.classes.add({ name: 'x', colour: 'red', author: 'a' }))).toMatchObject({
      code: 'BAD_ARGUMENT',
    });
    expect(await failure(api.classes.add({ name: 'x', key: 12, author: 'a' }))).toMatchObject({
      code: 'BAD_ARGUMENT',
    });
  });
});

describe('segments over HTTP', () => {
  it('names a labelmap value through PUT /segments/{value} and lists it', async () => {
    const events = await eventsDuring(() =>
      api.segments.set({ value: 3, name: 'lesion', colour: '#FF0000', author: 'ana' }),
    );
    expect(events.map((e) => e.type)).toContain('segments.changed');
    await api.segments.set({ value: 1, name: 'brain', colour: '#00ff00', author: 'ana' });
    expect(await api.segments.list({})).toEqual([
      { value: 1, name: 'brain', colour: '#00ff00' },
      { value: 3, name: 'lesion', colour: '#ff0000' },
    ]);
  });

  it('refuses values outside 1..255 and bad colours', async () => {
    expect(
      await failure(api.segments.set({ value: 0, name: 'bg', colour: '#000000', author: 'a' })),
    ).toMatchObject({ code: 'BAD_ARGUMENT' });
    expect(
      await failure(api.segments.set({ value: 300, name: 'x', colour: '#000000', author: 'a' })),
    ).toMatchObject({ code: 'BAD_ARGUMENT' });
    expect(
      await failure(api.segments.set({ value: 2, name: 'x', colour: 'blue', author: 'a' })),
    ).toMatchObject({ code: 'BAD_ARGUMENT' });
    const raw = await fetch(`${server.server.url}/api/segments/abc`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', colour: '#000000', author: 'a' }),
    });
    expect(raw.status).toBe(400);
    expect(await raw.text()).toContain('BAD_ARGUMENT');
  });
});
