// The page's sign-in flow over HTTP (issue #13): whoami decides between the app and the sign-in screen; a
// pasted token is traded for a session; a call refused mid-session (account disabled) goes back to the
// sign-in screen with a reason; signed in, the account is the author of writes and nobody is asked a name.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Caller } from '../../../core/api/index.js';
import { VoxlabError } from '../../../core/common/errors.js';
import { watchedTransport } from '../../api/connection.js';
import { currentReader, readerForWrite } from '../../api/identity.js';
import { installMemoryStorage } from '../../stores/testing/memoryStorage.js';
import { useIdentityStore } from '../../stores/useIdentityStore.js';
import { useSessionStore } from '../../stores/useSessionStore.js';

const whoami = vi.fn<() => Promise<Caller & { accounts: boolean }>>();
vi.mock('../../api/core.js', () => ({ core: () => ({ auth: { whoami } }) }));

const { checkSession, signOutNow, submitToken } = await import('./sessionActions.js');

const ANN: Caller = { name: 'ann1', role: 'annotator', kind: 'account' };
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('session', () => {
  beforeEach(() => {
    installMemoryStorage();
    useSessionStore.getState().reset();
    useIdentityStore.getState().reset();
    whoami.mockReset();
  });
  afterEach(() => vi.unstubAllGlobals());

  it('starts the app as the account whoami names; the account writes, nobody is asked a name', async () => {
    whoami.mockResolvedValue({ ...ANN, accounts: true });
    await checkSession();
    expect(useSessionStore.getState()).toMatchObject({ phase: 'ready', caller: ANN, accounts: true });
    expect(currentReader()).toBe('ann1');
    expect(readerForWrite('to save the label')).toBe('ann1');
    expect(useIdentityStore.getState().asking).toBe(false);
  });

  it('a local study keeps the remembered reader name', async () => {
    whoami.mockResolvedValue({ name: 'local', role: 'admin', kind: 'local', accounts: false });
    useIdentityStore.getState().setReader('Dr A');
    await checkSession();
    expect(useSessionStore.getState()).toMatchObject({ phase: 'ready', accounts: false });
    expect(currentReader()).toBe('Dr A');
  });

  it.each([
    [new VoxlabError('UNAUTHENTICATED', 'Sign in first'), 'signIn', null],
    [new VoxlabError('RATE_LIMITED', 'too many', { retryAfterS: 30 }), 'signIn', /wait 30 s/],
    [new VoxlabError('NOT_FOUND', 'No API route GET /api/auth/whoami'), 'ready', null],
    [new VoxlabError('IO_ERROR', 'auth.whoami: cannot reach the voxlab server: fetch failed'), 'ready', null],
  ] as const)('whoami refused with %s: %s', async (e, phase, message) => {
    whoami.mockRejectedValue(e);
    await checkSession();
    const s = useSessionStore.getState();
    expect(s.phase).toBe(phase);
    if (message === null) expect(s.message).toBeNull();
    else expect(s.message).toMatch(message);
  });

  it('a wrong token keeps the sign-in screen with the reason; a good one starts the app', async () => {
    whoami.mockRejectedValue(new VoxlabError('UNAUTHENTICATED', 'Sign in first'));
    await checkSession();
    vi.stubGlobal('fetch', async () => json(401, { error: { name: 'VoxlabError', code: 'UNAUTHENTICATED', message: 'not valid' } }));
    expect(await submitToken('wrong')).toMatch(/That token was not accepted/);
    expect(useSessionStore.getState().phase).toBe('signIn');

    vi.stubGlobal('fetch', async () => json(200, { name: 'ann1', role: 'annotator', expiresAt: 'T' }));
    whoami.mockResolvedValue({ ...ANN, accounts: true });
    const reload = vi.fn();
    expect(await submitToken('good', reload)).toBeNull();
    expect(reload).not.toHaveBeenCalled();
    expect(useSessionStore.getState()).toMatchObject({ phase: 'ready', caller: ANN });
  });

  it('a refused call of the open app goes back to the sign-in screen, saying why; a later sign-in reloads the page', async () => {
    whoami.mockResolvedValue({ ...ANN, accounts: true });
    await checkSession();
    useSessionStore.getState().markAppShown();
    const transport = watchedTransport({
      invoke: async () => {
        throw new VoxlabError('UNAUTHENTICATED', 'This token or session is not valid (wrong, disabled, rotated or expired)');
      },
      subscribe: () => () => undefined,
    });
    await expect(transport.invoke('server.info', {})).rejects.toThrow();
    expect(useSessionStore.getState()).toMatchObject({ phase: 'signIn', caller: null });
    expect(useSessionStore.getState().message).toMatch(/signed out.*account was disabled/);
    expect(currentReader()).toBeNull();

    vi.stubGlobal('fetch', async () => json(200, { name: 'ann2', role: 'annotator', expiresAt: 'T' }));
    const reload = vi.fn();
    expect(await submitToken('other', reload)).toBeNull();
    expect(reload).toHaveBeenCalledOnce();
  });

  it('signing out shows the sign-in screen', async () => {
    whoami.mockResolvedValue({ ...ANN, accounts: true });
    await checkSession();
    vi.stubGlobal('fetch', async () => json(200, null));
    expect(await signOutNow()).toBeNull();
    expect(useSessionStore.getState()).toMatchObject({ phase: 'signIn', message: expect.stringMatching(/You signed out/) });
  });
});
