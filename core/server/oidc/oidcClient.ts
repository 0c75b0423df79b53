// Single sign-on for hospitals (issue #13): voxlab serve as an OpenID Connect relying party, authorization
// code flow with PKCE (RFC 7636, S256) and a confidential client (client_secret_basic) or a public one.
// OpenID Connect Core 1.0 §3.1: the browser goes to the provider's authorization endpoint with state, nonce
// and the code challenge; the provider sends it back with a code; the server exchanges the code (with the
// verifier) at the token endpoint and verifies the ID token's signature (the provider's JWKS), issuer,
// audience, expiry and nonce (jose's jwtVerify). A claim (e.g. `groups`) maps to a voxlab role; the
// person's account is found or made by name and a session cookie starts, as with a personal token.

import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { Role } from '../../api/index.js';
import { VoxlabError } from '../../common/errors.js';

/** How voxlab talks to the institution's identity provider (voxlab serve --oidc-*). */
export interface OidcConfig {
  /** The issuer URL; discovery at `${issuer}/.well-known/openid-configuration`. */
  readonly issuer: string;
  readonly clientId: string;
  /** Absent for a public client (PKCE alone). */
  readonly clientSecret?: string;
  /** Where the provider sends the browser back: `${public URL}/auth/oidc/callback`. */
  readonly redirectUri: string;
  /** The claim holding the person's groups or roles (a string or an array of strings). Default 'groups'. */
  readonly roleClaim: string;
  /** Claim value → voxlab role; the most trusted role any value maps to wins. */
  readonly roleMap: Readonly<Record<string, Role>>;
  /** The claim naming the person (the account name). Default 'preferred_username', then 'email', 'sub'. */
  readonly nameClaim: string;
  /** Shown on the sign-in button, e.g. "Hospital sign-in". */
  readonly label: string;
}

interface Discovery {
  readonly issuer: string;
  readonly authorization_endpoint: string;
  readonly token_endpoint: string;
  readonly jwks_uri: string;
}

/** A sign-in in progress: kept in memory for PENDING_MS, keyed by its state. */
interface Pending {
  readonly nonce: string;
  readonly verifier: string;
  readonly created: number;
}

const PENDING_MS = 10 * 60_000;
const ROLE_ORDER: readonly Role[] = ['annotator', 'reviewer', 'researcher', 'admin'];

const random = () => randomBytes(32).toString('base64url');

/** The person an ID token names, and the role their claims map to. */
export interface OidcIdentity {
  readonly name: string;
  readonly role: Role;
  readonly claims: JWTPayload;
}

/** Parses "value=role,value=role" (the --oidc-roles option). Throws BAD_ARGUMENT. */
export function parseRoleMap(text: string): Record<string, Role> {
  const map: Record<string, Role> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const eq = part.lastIndexOf('=');
    const value = part.slice(0, eq).trim();
    const role = part.slice(eq + 1).trim() as Role;
    if (eq <= 0 || !ROLE_ORDER.includes(role))
      throw new VoxlabError('BAD_ARGUMENT', `--oidc-roles: "${part}" is not CLAIM_VALUE=${ROLE_ORDER.join('|')}`);
    map[value] = role;
  }
  if (Object.keys(map).length === 0) throw new VoxlabError('BAD_ARGUMENT', '--oidc-roles maps no claim value to a role');
  return map;
}

/** The role `claims` map to (the most trusted one), or null when none of their values is mapped. */
export function roleFromClaims(claims: JWTPayload, config: Pick<OidcConfig, 'roleClaim' | 'roleMap'>): Role | null {
  const raw = claims[config.roleClaim];
  const values = Array.isArray(raw) ? raw.filter((v): v is string => typeof v === 'string') : typeof raw === 'string' ? [raw] : [];
  let best: Role | null = null;
  for (const v of values) {
    const role = Object.hasOwn(config.roleMap, v) ? config.roleMap[v]! : null;
    if (role !== null && (best === null || ROLE_ORDER.indexOf(role) > ROLE_ORDER.indexOf(best))) best = role;
  }
  return best;
}

export class OidcClient {
  private discovery: Promise<Discovery> | null = null;
  private jwks: ReturnType<typeof createRemoteJWKSet> | null = null;
  private readonly pending = new Map<string, Pending>();

  constructor(readonly config: OidcConfig) {}

  /** The provider's endpoints (fetched once; a failure is retried at the next sign-in). REMOTE_UNREACHABLE. */
  private async endpoints(): Promise<Discovery> {
    this.discovery ??= (async () => {
      const url = `${this.config.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
      let res: Response;
      try {
        res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      } catch (e) {
        throw new VoxlabError('REMOTE_UNREACHABLE', `The identity provider ${this.config.issuer} cannot be reached: ${(e as Error).message}`);
      }
      if (!res.ok) throw new VoxlabError('REMOTE_ERROR', `The identity provider answered HTTP ${res.status} for ${url}`);
      const d = (await res.json()) as Discovery;
      if (d.issuer !== this.config.issuer)
        throw new VoxlabError('REMOTE_ERROR', `The identity provider calls itself ${d.issuer}, not ${this.config.issuer} (OpenID Connect Discovery §4.3)`);
      return d;
    })();
    try {
      return await this.discovery;
    } catch (e) {
      this.discovery = null;
      throw e;
    }
  }

  /** The authorization URL to send the browser to (a fresh state, nonce and PKCE verifier kept in memory). */
  async start(): Promise<string> {
    const d = await this.endpoints();
    const now = Date.now();
    for (const [k, p] of this.pending) if (now - p.created > PENDING_MS) this.pending.delete(k);
    const state = random();
    const nonce = random();
    const verifier = random();
    this.pending.set(state, { nonce, verifier, created: now });
    const url = new URL(d.authorization_endpoint);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: this.config.clientId,
      redirect_uri: this.config.redirectUri,
      scope: 'openid profile email',
      state,
      nonce,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    return url.toString();
  }

  /**
   * Completes a sign-in from the callback's query: exchanges the code, verifies the ID token, maps the
   * claims. Throws UNAUTHENTICATED (unknown or expired state, an error from the provider, a bad token) or
   * FORBIDDEN (no claim value maps to a role).
   */
  async finish(query: URLSearchParams): Promise<OidcIdentity> {
    const state = query.get('state') ?? '';
    const pending = this.pending.get(state);
    this.pending.delete(state);
    const error = query.get('error');
    if (error !== null)
      throw new VoxlabError('UNAUTHENTICATED', `The identity provider refused the sign-in: ${error}${query.get('error_description') ? ` (${query.get('error_description')})` : ''}`);
    if (pending === undefined || Date.now() - pending.created > PENDING_MS)
      throw new VoxlabError('UNAUTHENTICATED', 'This sign-in link is unknown or expired: start the sign-in again');
    const code = query.get('code');
    if (code === null) throw new VoxlabError('UNAUTHENTICATED', 'The identity provider sent no authorization code');
    const d = await this.endpoints();
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    const body = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: this.config.redirectUri, code_verifier: pending.verifier });
    if (this.config.clientSecret !== undefined) {
      // client_secret_basic: RFC 6749 §2.3.1, each part form-urlencoded before base64.
      const user = encodeURIComponent(this.config.clientId);
      const pass = encodeURIComponent(this.config.clientSecret);
      headers.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    } else body.set('client_id', this.config.clientId);
    let res: Response;
    try {
      res = await fetch(d.token_endpoint, { method: 'POST', headers, body, signal: AbortSignal.timeout(15_000) });
    } catch (e) {
      throw new VoxlabError('REMOTE_UNREACHABLE', `The identity provider's token endpoint cannot be reached: ${(e as Error).message}`);
    }
    const tokens = (await res.json().catch(() => ({}))) as { id_token?: string; error?: string };
    if (!res.ok || typeof tokens.id_token !== 'string')
      throw new VoxlabError('UNAUTHENTICATED', `The identity provider did not issue an ID token (HTTP ${res.status}${tokens.error ? `, ${tokens.error}` : ''})`);
    this.jwks ??= createRemoteJWKSet(new URL(d.jwks_uri));
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(tokens.id_token, this.jwks, { issuer: d.issuer, audience: this.config.clientId }));
    } catch (e) {
      throw new VoxlabError('UNAUTHENTICATED', `The ID token is not valid: ${(e as Error).message}`);
    }
    if (claims.nonce !== pending.nonce) throw new VoxlabError('UNAUTHENTICATED', 'The ID token answers another sign-in (nonce mismatch)');
    const name = [this.config.nameClaim, 'preferred_username', 'email', 'sub']
      .map((c) => claims[c])
      .find((v): v is string => typeof v === 'string' && v.trim() !== '');
    if (name === undefined) throw new VoxlabError('UNAUTHENTICATED', 'The ID token names nobody (no preferred_username, email or sub)');
    const role = roleFromClaims(claims, this.config);
    if (role === null)
      throw new VoxlabError(
        'FORBIDDEN',
        `${name} signed in, but the identity provider grants no voxlab role: the claim "${this.config.roleClaim}" holds none of ${Object.keys(this.config.roleMap).join(', ')}. Ask your administrator.`,
      );
    return { name, role, claims };
  }
}
