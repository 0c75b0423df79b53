// Signing in over HTTP: the token goes as JSON to POST /auth/signin (trimmed, never blank), the account
// comes back; refusals keep their codes (401 wrong or disabled, 429 too many tries) and become words.

import { describe, expect, it, vi } from 'vitest';
import { SIGN_IN_PATH, SIGN_OUT_PATH, authConfig, signIn, signOut } from './signIn.js';
import { needsSignIn, sessionEndedMessage, signInProblem } from './signInWords.js';

const answer = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const refusal = (code: string, message: string, details?: Record<string, unknown>) => ({
  error: { name: 'VoxlabError', code, message, ...(details !== undefined ? { details } : {}) },
});

describe('signIn', () => {
  it('posts the trimmed token as JSON and answers the account', async () => {
    const fetch = vi.fn(async () => answer(200, { name: 'ann1', role: 'annotator', expiresAt: '2026-12-07T05:00:00Z' }));
    await expect(signIn('  tok-123 \n', fetch)).resolves.toEqual({ name: 'ann1', role: 'annotator', expiresAt: '2026-12-07T05:00:00Z' });
    expect(fetch).toHaveBeenCalledWith(SIGN_IN_PATH, expect.objectContaining({ method: 'POST', body: JSON.stringify({ token: 'tok-123' }) }));
  });

  it('sends nothing for a blank token', async () => {
    const fetch = vi.fn();
    const e = await signIn('   ', fetch).catch((x: unknown) => x);
    expect(fetch).not.toHaveBeenCalled();
    expect(signInProblem(e)).toMatch(/^Paste your personal token first/);
  });

  it.each([
    [answer(401, refusal('UNAUTHENTICATED', 'This personal token is not valid')), /^That token was not accepted: it is wrong, or its account was disabled/],
    [answer(429, refusal('RATE_LIMITED', 'Too many failed sign-ins', { retryAfterS: 42 })), /^Too many failed sign-ins from this computer: wait 42 s/],
    [new Response('<html>proxy</html>', { status: 502, statusText: 'Bad Gateway' }), /cannot be reached/],
    [answer(500, refusal('INTERNAL', 'signIn: boom')), /^boom \(INTERNAL\)$/],
  ])('a refusal is told in words (%#)', async (res, pattern) => {
    const e = await signIn('tok', async () => res).catch((x: unknown) => x);
    expect(signInProblem(e)).toMatch(pattern);
  });

  it('a server that cannot be reached is told in words', async () => {
    const e = await signIn('tok', async () => {
      throw new TypeError('Failed to fetch');
    }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'IO_ERROR' });
    expect(signInProblem(e)).toMatch(/cannot be reached/);
  });
});

describe('signOut', () => {
  it('posts to the sign-out path', async () => {
    const fetch = vi.fn(async () => answer(200, null));
    await signOut(fetch);
    expect(fetch).toHaveBeenCalledWith(SIGN_OUT_PATH, expect.objectContaining({ method: 'POST' }));
  });
});

describe('session words', () => {
  it.each([
    [{ code: 'UNAUTHENTICATED', message: 'x' }, true],
    [{ code: 'RATE_LIMITED', message: 'x' }, true],
    [{ code: 'FORBIDDEN', message: 'x' }, false],
    [{ code: 'BAD_ARGUMENT', message: 'token', details: { status: 401 } }, false],
    [null, false],
  ])('needsSignIn(%j) = %s', (e, want) => {
    expect(needsSignIn(e)).toBe(want);
  });

  it('a session ended mid-way says what may have happened and what to do', () => {
    expect(sessionEndedMessage({ code: 'UNAUTHENTICATED' })).toMatch(/signed out.*disabled.*Sign in again/);
    expect(sessionEndedMessage({ code: 'RATE_LIMITED', details: { retryAfterS: 9.2 } })).toMatch(/wait 10 s/);
  });
});

describe('authConfig', () => {
  it.each([
    [json200({ oidc: { label: 'Hospital login', start: '/auth/oidc/start' } }), { oidc: { label: 'Hospital login', start: '/auth/oidc/start' } }],
    [json200({ oidc: null }), { oidc: null }],
    [json200({ oidc: { label: 'Evil', start: 'https://elsewhere.example/' } }), { oidc: null }],
    [json200({ oidc: { label: 'Evil', start: '//elsewhere.example/' } }), { oidc: null }],
    [new Response('no', { status: 404 }), { oidc: null }],
  ])('%#: single sign-on offered only as a same-site path', async (res, want) => {
    await expect(authConfig(async () => res)).resolves.toEqual(want);
  });

  it('a server that cannot be reached offers tokens only', async () => {
    await expect(
      authConfig(async () => {
        throw new TypeError('Failed to fetch');
      }),
    ).resolves.toEqual({ oidc: null });
  });
});

function json200(body: unknown): Response {
  return answer(200, body);
}
