// Blinded reader studies over HTTP (issue #13): two annotators read the same scans without seeing each
// other's answers (list, label, history, status, report), a reviewer sees both, agreement equals a hand
// computation, adjudication sets the reference, and training takes the configured label source.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, httpTransport, type CoreApi } from '../api/index.js';
import { addAccount } from '../datastore/accounts.js';
import { labeledImages } from '../train/dataset.js';
import { TOKEN, failure, testServer } from './testing/fixtures.js';

type Server = Awaited<ReturnType<typeof testServer>>;
let server: Server;
let ann1: CoreApi;
let ann2: CoreApi;
let reviewer: CoreApi;
let admin: CoreApi;

const client = (token: string) => createClient(httpTransport({ baseUrl: server.server.url, token }));

/** The fixed reads: scans a, b, c; reader 1 says lesion, control, lesion; reader 2 control, control, lesion. */
const READS = {
  'img-a': ['lesion', 'control'],
  'img-b': ['control', 'control'],
  'img-c': ['lesion', 'lesion'],
} as const;

beforeAll(async () => {
  server = await testServer();
  const study = server.service.context.study;
  // Blinded reading needs accounts: refused before there are any.
  const early = await failure(client(TOKEN).reading.set({ blinded: true }));
  expect(early.code).toBe('BAD_ARGUMENT');
  expect(early.message).toMatch(/needs accounts/);
  ann1 = client(addAccount(study, 'reader one', 'annotator', 'test').token);
  ann2 = client(addAccount(study, 'reader two', 'annotator', 'test').token);
  reviewer = client(addAccount(study, 'chief', 'reviewer', 'test').token);
  admin = client(addAccount(study, 'boss', 'admin', 'test').token);
  expect(await admin.reading.set({ blinded: true, readsPerScan: 2 })).toEqual({ blinded: true, readsPerScan: 2, trainingLabels: 'reference' });
  await admin.classes.add({ name: 'control', author: 'x' });
  await admin.classes.add({ name: 'lesion', author: 'x' });
  for (const [imageId, [one, two]] of Object.entries(READS)) {
    await ann1.labels.set({ imageId, label: one, author: 'ignored', expectedVersion: 0 });
    await ann2.labels.set({ imageId, label: two, author: 'ignored', expectedVersion: 0 });
  }
});

afterAll(async () => {
  await server.close();
});

describe('blinded reading', () => {
  it('an annotator sees only their own answers: list, label, history, counts', async () => {
    const list = await ann1.datastore.list({});
    const a = list.find((i) => i.id === 'img-a')!;
    expect(a).toMatchObject({ label: 'lesion', status: 'labeled', reading: { mine: 'lesion', done: 2, needed: 2 } });
    const b2 = (await ann2.datastore.list({})).find((i) => i.id === 'img-a')!;
    expect(b2).toMatchObject({ label: 'control', reading: { mine: 'control', done: 2, needed: 2 } });
    expect(await ann1.labels.get({ imageId: 'img-a' })).toMatchObject({ label: 'lesion', version: 1, author: 'reader one' });
    expect(await ann2.labels.get({ imageId: 'img-a' })).toMatchObject({ label: 'control', version: 1, author: 'reader two' });
    const history = await ann2.labels.history({ imageId: 'img-a' });
    expect(history.map((v) => [v.author, v.label])).toEqual([['reader two', 'control']]);
    const status = await ann1.datastore.status({});
    expect(status.byLabel).toEqual({ lesion: 2, control: 1 });
    // Nothing of reader two's answer for img-a reaches reader one.
    expect(JSON.stringify(await ann1.datastore.image({ imageId: 'img-a' }))).not.toContain('control');
  });

  it('an annotator cannot reach others\' answers through reads, agreement or the series report', async () => {
    expect((await failure(ann1.reads.list({ imageId: 'img-a' }))).code).toBe('FORBIDDEN');
    expect((await failure(ann1.agreement.report({}))).code).toBe('FORBIDDEN');
    const report = await failure(ann1.report.series({ imageId: 'img-a' }));
    expect(report).toMatchObject({ code: 'FORBIDDEN' });
    expect(report.message).toMatch(/read blinded/);
  });

  it('readers never conflict with each other; a stale version of my own read does', async () => {
    const again = await ann1.labels.set({ imageId: 'img-b', label: 'control', author: 'x', expectedVersion: 1 });
    expect(again.version).toBe(2);
    const stale = await failure(ann1.labels.set({ imageId: 'img-b', label: 'lesion', author: 'x', expectedVersion: 1 }));
    expect(stale.code).toBe('LABEL_CONFLICT');
    expect(await ann1.labels.get({ imageId: 'img-b' })).toMatchObject({ label: 'control', version: 2 });
  });

  it('a reviewer sees every read, the agreement (a hand computation), and sets the reference', async () => {
    const reads = await reviewer.reads.list({ imageId: 'img-a' });
    expect(reads.map((r) => [r.reader, r.label])).toEqual([
      ['reader one', 'lesion'],
      ['reader two', 'control'],
    ]);
    // Cohen's kappa by hand: 3 scans, agreement on b and c: po = 2/3. Reader one: control 1/3, lesion 2/3;
    // reader two: control 2/3, lesion 1/3; pe = 1/3 * 2/3 + 2/3 * 1/3 = 4/9; kappa = (2/3 - 4/9) / (5/9) = 0.4.
    const report = (await reviewer.agreement.report({})) as {
      cohen: { kappa: number; observed: number; expected: number; scans: number };
      disagreements: { imageId: string; labels: { reader: string; label: string }[] }[];
    };
    expect(report.cohen.scans).toBe(3);
    expect(report.cohen.observed).toBeCloseTo(2 / 3, 12);
    expect(report.cohen.expected).toBeCloseTo(4 / 9, 12);
    expect(report.cohen.kappa).toBeCloseTo(0.4, 12);
    expect(report.disagreements.map((d) => d.imageId)).toEqual(['img-a']);
    const reference = await reviewer.reads.adjudicate({ imageId: 'img-a', label: 'lesion', author: 'forged', expectedVersion: 0 });
    expect(reference).toMatchObject({ label: 'lesion', author: 'chief', note: 'adjudicated' });
    // The reviewer's list shows the reference; an annotator's still shows only their own read.
    expect((await reviewer.datastore.list({})).find((i) => i.id === 'img-a')).toMatchObject({ label: 'lesion', reading: { done: 2 } });
    expect((await ann2.datastore.list({})).find((i) => i.id === 'img-a')).toMatchObject({ label: 'control' });
    const audit = await admin.audit.list({ method: 'reads.adjudicate' });
    expect(audit.rows).toMatchObject([{ account: 'chief', role: 'reviewer', target: 'img-a', afterVersion: 1 }]);
    expect((await failure(ann1.reads.adjudicate({ imageId: 'img-b', label: 'control', author: 'x' }))).code).toBe('FORBIDDEN');
  });

  it('training takes the reference, the majority or one reader, as the study says', async () => {
    const study = server.service.context.study;
    const labels = () => Object.fromEntries(labeledImages(study, { allowOneClass: true }).images.map((i) => [i.id, i.label]));
    // Reference: only img-a was adjudicated.
    expect(labels()).toEqual({ 'img-a': 'lesion' });
    await admin.reading.set({ trainingLabels: 'majority' });
    // img-a is a tie (lesion vs control): its reference decides; b and c agree.
    expect(labels()).toEqual({ 'img-a': 'lesion', 'img-b': 'control', 'img-c': 'lesion' });
    await admin.reading.set({ trainingLabels: 'reader:reader two' });
    expect(labels()).toEqual({ 'img-a': 'control', 'img-b': 'control', 'img-c': 'lesion' });
    expect((await failure(admin.reading.set({ trainingLabels: 'somebody' }))).code).toBe('BAD_ARGUMENT');
  });
});
