// The team load's checks hold on a short run (issue #13): 5 readers for 3 s against an in-process server,
// every acknowledged write found under its reader with its label and in the audit log.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { createClient, httpTransport } from '../../core/api/index.js';
import { addAccount } from '../../core/datastore/accounts.js';
import { IMAGE_IDS, testServer } from '../../core/server/testing/fixtures.js';
import { runTeamLoad } from './teamLoad.js';

let server: Awaited<ReturnType<typeof testServer>>;
beforeAll(async () => {
  server = await testServer();
});
afterAll(async () => {
  await server.close();
});

it('5 readers for 3 s: writes acknowledged, none lost, misattributed or unaudited', async () => {
  const study = server.service.context.study;
  const readers = new Map([1, 2, 3, 4, 5].map((i) => [`reader ${i}`, addAccount(study, `reader ${i}`, 'annotator', 't').token]));
  const reviewer = addAccount(study, 'chief', 'reviewer', 't').token;
  const admin = addAccount(study, 'boss', 'admin', 't').token;
  await createClient(httpTransport({ baseUrl: server.server.url, token: admin })).reading.set({ blinded: true, readsPerScan: 5 });
  const report = await runTeamLoad({
    baseUrl: server.server.url,
    readers,
    reviewer,
    admin,
    imageIds: IMAGE_IDS,
    classes: ['control', 'lesion'],
    seconds: 3,
  });
  expect(report.acknowledged_writes).toBeGreaterThan(20);
  expect(report).toMatchObject({ readers: 5, errors: 0, lost_writes: 0, misattributed_writes: 0, unaudited_writes: 0 });
  expect(report.p99_ms).toBeGreaterThanOrEqual(report.p50_ms);
});
