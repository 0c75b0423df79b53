// datastore.add on a path that is a folder (found by the HTTP fuzzer, issue #15): BAD_ARGUMENT, not IO_ERROR.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CALLER } from '../callers.js';
import { failure, testCore, type TestCore } from '../testing/fixtures.js';

let core: TestCore;
beforeAll(async () => {
  core = await testCore();
});
afterAll(async () => {
  await core.close();
});

describe('datastore.add', () => {
  it.each(['.', 'images'])('refuses the folder %s with BAD_ARGUMENT', async (path) => {
    const e = await failure(core.service.handlers['datastore.add']({ path, author: 'tester' }, undefined, LOCAL_CALLER));
    expect(e).toMatchObject({ code: 'BAD_ARGUMENT', details: { path } });
  });
});
