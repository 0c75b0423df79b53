// The renderer picks IPC when the desktop shell exposed window.voxlab, HTTP otherwise; over IPC, error
// envelopes come back as VoxlabErrors with their codes.

import { describe, expect, it } from 'vitest';
import { API_VERSION, createClient, type ExposedApi } from '../../core/api/index.js';
import { VoxlabError } from '../../core/common/errors.js';
import { pickTransport } from './transport.js';

function fakeShell(): ExposedApi {
  return {
    apiVersion: API_VERSION,
    methods: ['server.info', 'labels.get'],
    server: { info: async () => ({ ok: true, result: { name: 'voxlab' } }) },
    labels: {
      get: async () => ({
        ok: false,
        error: {
          name: 'VoxlabError',
          code: 'NOT_FOUND',
          message: 'no such image',
          details: { imageId: 'x' },
        },
      }),
    },
    onEvent: () => () => undefined,
  };
}

describe('pickTransport', () => {
  it('uses window.voxlab when the desktop shell exposed it', async () => {
    const api = createClient(pickTransport({ voxlab: fakeShell() }));
    await expect(api.server.info()).resolves.toEqual({ name: 'voxlab' });
    const e = await api.labels.get({ imageId: 'x' }).then(
      () => null,
      (x: unknown) => x as VoxlabError,
    );
    expect(e).toBeInstanceOf(VoxlabError);
    expect(e).toMatchObject({ code: 'NOT_FOUND', details: { imageId: 'x' } });
  });

  it('refuses a shell that speaks another API version', () => {
    expect(() => pickTransport({ voxlab: { ...fakeShell(), apiVersion: API_VERSION + 1 } })).toThrow(
      VoxlabError,
    );
  });

  it('falls back to HTTP without the shell', () => {
    const t = pickTransport({});
    expect(typeof t.invoke).toBe('function');
    expect(typeof t.subscribe).toBe('function');
  });
});
