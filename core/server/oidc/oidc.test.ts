// Single sign-on (issue #13) against a real OpenID Connect provider run by the test (oidc-provider on a
// loopback port): the authorization code flow with PKCE, followed hop by hop as a browser would (cookies
// kept per host, the provider's login and consent forms submitted), ends in a voxlab session whose account
// and role come from the ID token's claims. Refusals: no mapped group, a disabled account, a forged state.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disableAccount } from '../../datastore/accounts.js';
import { listAudit } from '../../datastore/audit.js';
import { startHttpServer, type RunningServer } from '../httpServer.js';
import { TOKEN, testCore, type TestCore } from '../testing/fixtures.js';
import { openTestProvider, TEST_CLIENT, type TestProvider } from './testing/testProvider.js';

let core: TestCore;
let voxlab: RunningServer;
let provider: TestProvider;

beforeAll(async () => {
  provider = await openTestProvider({ ana: ['radiology'], ben: ['radiology', 'ai-lab'], eve: ['catering'] });
  core = await testCore();
  voxlab = await startHttpServer(core.service, {
    token: TOKEN,
    rendererDir: null,
    oidc: {
      issuer: provider.issuer,
      clientId: TEST_CLIENT.clientId,
      clientSecret: TEST_CLIENT.clientSecret,
      roleClaim: 'groups',
      roleMap: { radiology: 'annotator', 'ai-lab': 'researcher' },
      nameClaim: 'preferred_username',
      label: 'Hospital sign-in',
    },
  });
  provider.start(`${voxlab.url}/auth/oidc/callback`);
});

afterAll(async () => {
  await voxlab?.close();
  await core?.close();
  await provider?.close();
});

/** A browser's cookie jar, per origin (enough for two loopback servers). */
class Browser {
  private readonly jars = new Map<string, Map<string, string>>();

  async go(url: string, init: RequestInit = {}): Promise<Response> {
    const origin = new URL(url).origin;
    const jar = this.jars.get(origin) ?? new Map<string, string>();
    this.jars.set(origin, jar);
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers ?? {}), ...(cookie ? { cookie } : {}) } });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const value = pair!.slice(eq + 1);
      if (value === '' || /max-age=0|expires=Thu, 01 Jan 1970/i.test(c)) jar.delete(pair!.slice(0, eq));
      else jar.set(pair!.slice(0, eq), value);
    }
    return res;
  }

  /** Follows redirects from `url`; a page with a form is submitted with `fields`; stops back at voxlab. */
  async signIn(login: string): Promise<Response> {
    let res = await this.go(`${voxlab.url}/auth/oidc/start`);
    for (let hop = 0; hop < 20; hop++) {
      const location = res.headers.get('location');
      if (location !== null) {
        const next = new URL(location, res.url || voxlab.url).toString();
        if (next.startsWith(`${voxlab.url}/`) && !next.includes('/auth/oidc/')) return res;
        res = await this.go(next);
        continue;
      }
      const html = await res.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      if (action === undefined) return new Response(html, { status: res.status, headers: res.headers });
      const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1] ?? '';
      const body = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'any' } : { prompt });
      res = await this.go(new URL(action, res.url).toString(), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
    }
    throw new Error('sign-in did not come back to voxlab in 20 hops');
  }

  whoami(): Promise<Response> {
    return this.go(`${voxlab.url}/api/auth/whoami`);
  }
}

describe('OpenID Connect sign-in', () => {
  it('the sign-in page learns about it without a token', async () => {
    const res = await fetch(`${voxlab.url}/auth/config`);
    expect(await res.json()).toEqual({ oidc: { label: 'Hospital sign-in', start: '/auth/oidc/start' } });
  });

  it('code flow with PKCE: a session for the person, the role from their groups (the most trusted wins)', async () => {
    const browser = new Browser();
    const back = await browser.signIn('ben');
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe('/');
    expect(back.headers.get('set-cookie')).toMatch(/^voxlab_session_\d+=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict/);
    const who = await browser.whoami();
    expect(await who.json()).toEqual({ name: 'ben', role: 'researcher', kind: 'account', accounts: true });
    const audit = listAudit(core.service.context.study, { method: 'auth.oidc' });
    expect(audit.at(-1)).toMatchObject({ account: 'ben', role: 'researcher', detail: { issuer: provider.issuer } });
    // The session is an ordinary one: a researcher may not label.
    const label = await browser.go(`${voxlab.url}/api/datastore/images/img-a/label`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ label: 'x', author: 'ben' }),
    });
    expect(label.status).toBe(403);
  });

  it('someone whose groups map to no role is refused in words', async () => {
    const browser = new Browser();
    const res = await browser.signIn('eve');
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/grants no voxlab role/);
    expect((await browser.whoami()).status).toBe(401);
  });

  it('a voxlab admin\'s disabling outranks the provider', async () => {
    const first = new Browser();
    await first.signIn('ana');
    expect(await (await first.whoami()).json()).toMatchObject({ name: 'ana', role: 'annotator' });
    disableAccount(core.service.context.study, 'ana');
    expect((await first.whoami()).status).toBe(401);
    const again = new Browser();
    const res = await again.signIn('ana');
    expect(res.status).toBe(401);
    expect(await res.text()).toMatch(/disabled/);
  });

  it('a callback with a forged state or an error from the provider signs nobody in', async () => {
    const forged = await fetch(`${voxlab.url}/auth/oidc/callback?code=abc&state=forged`, { redirect: 'manual' });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('set-cookie')).toBeNull();
    const denied = await fetch(`${voxlab.url}/auth/oidc/callback?error=access_denied&state=x`, { redirect: 'manual' });
    expect(denied.status).toBe(401);
  });
});
