// `voxlab serve`: the core service over HTTP, generated from the contract. Routes come from METHODS
// (core/api/routes.ts), events stream as server-sent events, binary answers carry their metadata in a
// header. Secure by default: loopback, a token on every request, Host and Origin checks, size limits.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  EVENTS_PATH,
  HEADERS,
  MAX_JSON_BODY,
  decodeQueryValue,
  matchRoute,
  specOf,
  type ApiEvent,
  type FieldSpec,
} from '../api/index.js';
import type { Caller } from '../api/index.js';
import { VoxlabError, isVoxlabError } from '../common/errors.js';
import { accountForOidc, endSession, hasAccounts, startSession, startSessionFor } from '../datastore/accounts.js';
import { appendAudit } from '../datastore/audit.js';
import { OidcClient, type OidcConfig } from './oidc/oidcClient.js';
import { resolveCaller } from './callers.js';
import { SignInLimiter } from './signInLimiter.js';
import { parseJsonBody, readBody, streamBodyToFile } from './body.js';
import { dispatch, refuseRole } from './dispatch.js';
import { errorPage, wantsPage } from './errorPage.js';
import { httpStatusOf } from './httpStatus.js';
import { lingerBeforeClose } from './lingeringClose.js';
import {
  BASE_HEADERS,
  UI_CSP,
  allowedHosts,
  AUTH_CONFIG_PATH,
  OIDC_CALLBACK_PATH,
  OIDC_START_PATH,
  SIGN_IN_PATH,
  SIGN_OUT_PATH,
  presentedSession,
  presentedToken,
  refuseOrigin,
  sameSecret,
  sessionCookie,
  tokenCookie,
} from './security.js';
import type { Upload } from './service/context.js';
import type { Service } from './service/index.js';
import { staticFile } from './staticFiles.js';
import { closeIdleConnections } from './idleConnections.js';
import { discardUpload, uploadTempPath } from './uploadFile.js';

export interface HttpServerOptions {
  /** Default 127.0.0.1 (loopback only). */
  readonly host?: string;
  /** Default 0: any free port. */
  readonly port?: number;
  /** The access token every request must present. */
  readonly token: string;
  /** Folder of the built renderer; null serves a placeholder page. */
  readonly rendererDir: string | null;
  /** More Host header names to accept (e.g. the server's DNS name when bound to every interface). */
  readonly allowHosts?: readonly string[];
  /**
   * Single sign-on through the institution's OpenID Connect provider (core/server/oidc). The redirect URI
   * is `${publicUrl}/auth/oidc/callback`, publicUrl defaulting to this server's URL (behind a TLS proxy,
   * give the proxy's).
   */
  readonly oidc?: Omit<OidcConfig, 'redirectUri'> & { readonly publicUrl?: string };
  /**
   * Against slow or stalled clients (ms): headers must arrive within `headersMs` (default 30 s), a whole
   * request, body included, within `requestMs` (default 10 min: a 1 GiB DICOM upload on a slow link); Node
   * checks both every `checkEveryMs` (default 30 s). A connection on which nothing moves for `idleMs`
   * (default 60 s; 0 turns it off) while the server waits for the client (no request yet, a body that stopped arriving) is
   * answered 408 and closed; a request received whole is never cut (its handler may work for long, the
   * event stream pings every 15 s). An idle keep-alive connection closes after 5 s (or `idleMs` if shorter).
   */
  readonly timeouts?: {
    readonly headersMs?: number;
    readonly requestMs?: number;
    readonly checkEveryMs?: number;
    readonly idleMs?: number;
  };
}

export interface RunningServer {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** The URL that opens the UI and hands it the token (sets the cookie, then redirects to /). */
  readonly openUrl: string;
  readonly server: Server;
  close(): Promise<void>;
}

function send(
  res: ServerResponse,
  status: number,
  body: string | Buffer | Uint8Array,
  headers: Record<string, string>,
): void {
  // Bytes, not UTF-16 units: a message with a non-ASCII character (an ellipsis, a name) would otherwise
  // announce fewer bytes than it sends.
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  res.writeHead(status, { ...BASE_HEADERS, ...headers, 'content-length': String(length) });
  res.end(body);
}

function sendError(res: ServerResponse, e: unknown, asPage = false): void {
  const error = isVoxlabError(e)
    ? e
    : new VoxlabError('INTERNAL', `Unexpected error: ${(e as Error)?.message ?? String(e)}`);
  if (!isVoxlabError(e)) process.emitWarning(`voxlab serve: ${(e as Error)?.stack ?? String(e)}`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (asPage) {
    const status = httpStatusOf(error);
    return send(res, status, errorPage(status, error.message, error.code), {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': UI_CSP,
    });
  }
  // After a refused, stalled or half-read body the connection cannot be reused: the client may still be sending it.
  const close: Record<string, string> =
    error.code === 'TOO_LARGE' || error.details?.status === 408 || res.req?.complete === false ? { connection: 'close' } : {};
  // Unread body bytes still on their way: close in stages so that the client reads this answer.
  if (res.req?.complete === false) lingerBeforeClose(res);
  send(res, httpStatusOf(error), JSON.stringify({ error: error.toJSON() }), {
    'content-type': 'application/json',
    ...close,
  });
}

/** Unsent event bytes after which a client that does not read its event stream is cut off. */
export const EVENT_BACKLOG_BYTES = 4 * 2 ** 20;

const refused = (status: number, message: string) => new VoxlabError('BAD_ARGUMENT', message, { status });

/**
 * Arguments of a call: path parameters, then the query (GET, DELETE, uploads) or the JSON body. An upload's
 * body is streamed to a temp file in the study folder `studyDir` (never held in memory), which the caller
 * must discard once the call is over; an empty body is no upload.
 */
async function callArgs(
  req: IncomingMessage,
  url: URL,
  method: Parameters<typeof specOf>[0],
  params: Record<string, unknown>,
  studyDir: string,
): Promise<{ args: Record<string, unknown>; upload?: Upload }> {
  const spec = specOf(method);
  // No prototype: a '__proto__' key in the body or query stays a plain (unknown, refused) field instead of
  // becoming the prototype whose fields validateArgs would then read as arguments.
  const args = Object.create(null) as Record<string, unknown>;
  const schema = spec.request as Record<string, FieldSpec>;
  for (const [k, v] of url.searchParams)
    args[k] = Object.hasOwn(schema, k) ? decodeQueryValue(schema[k]!, v) : v;
  if (spec.upload === true) {
    const type = req.headers['content-type'] ?? '';
    const hasBody =
      Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (hasBody && !type.startsWith('application/octet-stream'))
      throw refused(415, `${method}: send the data as application/octet-stream`);
    Object.assign(args, params);
    if (!hasBody) return { args };
    const file = await uploadTempPath(studyDir);
    const upload = { path: file, size: await streamBodyToFile(req, spec.maxBytes ?? MAX_JSON_BODY, file) };
    if (upload.size > 0) return { args, upload };
    await discardUpload(upload);
    return { args };
  }
  if (req.method !== 'GET' && req.method !== 'DELETE') {
    const body = await readBody(req, MAX_JSON_BODY);
    if (body.length > 0 && !(req.headers['content-type'] ?? '').startsWith('application/json'))
      throw refused(415, `${method}: send the arguments as application/json`);
    Object.assign(args, parseJsonBody(body));
  }
  Object.assign(args, params); // the path wins over a body field of the same name
  return { args };
}

/** Starts serving `service`. Resolves once listening. */
export async function startHttpServer(service: Service, options: HttpServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  let port = options.port ?? 0;
  let hosts: Set<string> | null = null;
  const streams = new Set<ServerResponse>();
  const limiter = new SignInLimiter();
  let oidc: OidcClient | null = null;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const why = refuseOrigin(req, hosts);
    if (why !== null) throw refused(403, why);
    if (req.method === 'OPTIONS') throw refused(403, 'cross-origin requests are refused (no CORS)');
    const url = new URL(req.url ?? '/', 'http://localhost');
    const queryToken = url.searchParams.get('token');
    if (req.method === 'GET' && url.pathname === '/' && queryToken !== null) {
      if (!sameSecret(queryToken, options.token))
        throw refused(401, 'The access token is wrong: use the URL `voxlab serve` printed');
      res.writeHead(303, { ...BASE_HEADERS, 'set-cookie': tokenCookie(port, options.token), location: '/' });
      res.end();
      return;
    }
    if (req.method === 'POST' && url.pathname === SIGN_IN_PATH) return signIn(req, res);
    if (req.method === 'GET' && url.pathname === AUTH_CONFIG_PATH)
      return send(res, 200, JSON.stringify({ oidc: oidc === null ? null : { label: oidc.config.label, start: OIDC_START_PATH } }), {
        'content-type': 'application/json',
      });
    if (req.method === 'GET' && url.pathname === OIDC_START_PATH) return oidcStart(res);
    if (req.method === 'GET' && url.pathname === OIDC_CALLBACK_PATH) return oidcCallback(req, res, url);
    if (req.method === 'POST' && url.pathname === SIGN_OUT_PATH) return signOut(req, res);
    // A team study's UI files are public (code, no study data): the page must load to show its sign-in.
    const isApi = url.pathname.startsWith('/api/') || url.pathname === EVENTS_PATH;
    if (!isApi && req.method === 'GET' && hasAccounts(service.context.study)) return sendStatic(url);
    const caller = callerOf(req);
    if (url.pathname === EVENTS_PATH && req.method === 'GET') return openEventStream(res);
    if (url.pathname.startsWith('/api/')) {
      const match = matchRoute(req.method ?? 'GET', url.pathname);
      if (match === null)
        throw new VoxlabError('NOT_FOUND', `No API route ${req.method} ${url.pathname}`, { status: 404 });
      // Before a body is stored: a caller who may not call the method never fills the disk with uploads.
      refuseRole(match.route.method, caller);
      const study = service.context.study;
      const { args, upload } = await callArgs(req, url, match.route.method, match.params, study.dir);
      let out;
      try {
        out = await dispatch(service.handlers, match.route.method, args, upload, caller, study);
      } finally {
        await discardUpload(upload);
      }
      if (out.bytes !== undefined) {
        const meta = encodeURIComponent(JSON.stringify(out.result));
        return send(res, 200, out.bytes, {
          'content-type': 'application/octet-stream',
          [HEADERS.meta]: meta,
        });
      }
      return send(res, 200, JSON.stringify(out.result ?? null), { 'content-type': 'application/json' });
    }
    if (req.method !== 'GET') throw refused(405, `${req.method} is not allowed here`);
    return sendStatic(url);

    async function sendStatic(url: URL): Promise<void> {
      const file = await staticFile(options.rendererDir, url.pathname);
      if (file === null) throw new VoxlabError('NOT_FOUND', `No file ${url.pathname}`);
      send(res, 200, file.bytes, { 'content-type': file.type, 'content-security-policy': UI_CSP });
    }
  }

  /**
   * The caller of a request (core/server/callers.ts): the server's token or a study without accounts as
   * before; else a personal token or a session cookie. Valid credentials always pass; invalid ones count
   * against the client address, and past the limit they are answered RATE_LIMITED. A request without any
   * credentials is not a failed sign-in (a page's first call, before its sign-in screen).
   */
  function callerOf(req: IncomingMessage): Caller {
    const address = req.socket.remoteAddress ?? '';
    const token = presentedToken(req, port);
    const session = presentedSession(req, port);
    try {
      return resolveCaller(service.context.study, { token, session, serveToken: options.token });
    } catch (e) {
      if (token !== null || session !== null) {
        limiter.failed(address);
        limiter.check(address);
      }
      if (!hasAccounts(service.context.study))
        throw refused(
          401,
          'An access token is required: open the URL `voxlab serve` printed, or send the X-Voxlab-Token header',
        );
      throw e;
    }
  }

  /** POST /auth/signin { token }: a personal token buys an HttpOnly session cookie (12 h). */
  async function signIn(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const address = req.socket.remoteAddress ?? '';
    const body = parseJsonBody(await readBody(req, 4096)) as { token?: unknown };
    const started = typeof body.token === 'string' ? startSession(service.context.study, body.token) : null;
    if (started === null) {
      limiter.failed(address);
      limiter.check(address);
      throw new VoxlabError('UNAUTHENTICATED', 'This personal token is not valid (wrong, disabled or rotated): ask an admin for yours');
    }
    const { sessionId, account, expiresAt } = started;
    const maxAge = Math.round((Date.parse(expiresAt) - Date.now()) / 1000);
    send(res, 200, JSON.stringify({ name: account.name, role: account.role, expiresAt }), {
      'content-type': 'application/json',
      'set-cookie': sessionCookie(port, sessionId, maxAge),
    });
  }

  /** GET /auth/oidc/start: off to the identity provider (authorization code + PKCE). */
  async function oidcStart(res: ServerResponse): Promise<void> {
    if (oidc === null) throw new VoxlabError('NOT_FOUND', 'This server has no single sign-on (voxlab serve --oidc-issuer ...)');
    res.writeHead(303, { ...BASE_HEADERS, location: await oidc.start() });
    res.end();
  }

  /** GET /auth/oidc/callback: the provider's answer; a session cookie for the person, then the app. */
  async function oidcCallback(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (oidc === null) throw new VoxlabError('NOT_FOUND', 'This server has no single sign-on');
    const address = req.socket.remoteAddress ?? '';
    let identity;
    try {
      identity = await oidc.finish(url.searchParams);
    } catch (e) {
      limiter.failed(address);
      limiter.check(address);
      throw e;
    }
    const study = service.context.study;
    const account = accountForOidc(study, identity.name, identity.role);
    const started = account === null ? null : startSessionFor(study, account.name);
    if (started === null)
      throw new VoxlabError('UNAUTHENTICATED', `The account "${identity.name}" is disabled in this study: ask a voxlab admin`);
    appendAudit(study, { account: account!.name, role: account!.role, method: 'auth.oidc', target: account!.name, detail: { issuer: oidc.config.issuer } });
    const maxAge = Math.round((Date.parse(started.expiresAt) - Date.now()) / 1000);
    res.writeHead(303, { ...BASE_HEADERS, 'set-cookie': sessionCookie(port, started.sessionId, maxAge), location: '/' });
    res.end();
  }

  /** POST /auth/signout: ends the session of the cookie (if any) and clears it. */
  async function signOut(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const session = presentedSession(req, port);
    if (session !== null) endSession(service.context.study, session);
    send(res, 200, 'null', { 'content-type': 'application/json', 'set-cookie': sessionCookie(port, '', 0) });
  }

  /**
   * Server-sent events. A client that stops reading (a frozen tab still answers TCP's window probes, so
   * its connection never times out) would make the server hold every later event in memory: once more
   * than EVENT_BACKLOG_BYTES wait unsent, the stream is closed; the client's transport reconnects and
   * refetches (issue #15, found by the load campaign: 200,000 events to a paused client took 270 MB).
   */
  function openEventStream(res: ServerResponse): void {
    res.writeHead(200, { ...BASE_HEADERS, 'content-type': 'text/event-stream', connection: 'keep-alive' });
    res.write(': voxlab events\n\n');
    streams.add(res);
    const write = (text: string): void => {
      if (res.destroyed) return;
      res.write(text);
      if (res.writableLength > EVENT_BACKLOG_BYTES) res.destroy();
    };
    const unsubscribe = service.context.events.subscribe((e: ApiEvent) => write(`data: ${JSON.stringify(e)}\n\n`));
    const ping = setInterval(() => write(': ping\n\n'), 15_000);
    res.on('close', () => {
      clearInterval(ping);
      unsubscribe();
      streams.delete(res);
    });
  }

  const timeouts = options.timeouts ?? {};
  const idleMs = timeouts.idleMs ?? 60_000;
  const server = createServer(
    {
      maxHeaderSize: 16 * 1024,
      requestTimeout: timeouts.requestMs ?? 10 * 60_000,
      headersTimeout: timeouts.headersMs ?? 30_000,
      keepAliveTimeout: idleMs > 0 ? Math.min(5_000, idleMs) : 5_000,
      connectionsCheckingInterval: timeouts.checkEveryMs ?? 30_000,
    },
    (req, res) => {
      handle(req, res).catch((e: unknown) => sendError(res, e, wantsPage(req)));
    },
  );
  if (idleMs > 0)
    closeIdleConnections(server, idleMs, (res) =>
      sendError(res, refused(408, `Nothing arrived for ${idleMs} ms in the middle of the request: send the body without pausing`)),
    );
  // CONNECT (a proxy tunnel) is not served: refused in words rather than the socket dropped (Node's default).
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    socket.end('HTTP/1.1 405 Method Not Allowed\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new VoxlabError(
          e.code === 'EADDRINUSE' ? 'ALREADY_EXISTS' : 'IO_ERROR',
          `Cannot listen on ${host}:${port}: ${e.message}`,
          { host, port },
          { cause: e },
        ),
      ),
    );
    server.listen(port, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(host, port, options.allowHosts);
  const shown = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  const url = `http://${shown}:${port}`;
  if (options.oidc !== undefined) {
    const { publicUrl, ...config } = options.oidc;
    oidc = new OidcClient({ ...config, redirectUri: `${(publicUrl ?? url).replace(/\/$/, '')}${OIDC_CALLBACK_PATH}` });
  }
  return {
    url,
    host,
    port,
    openUrl: `${url}/?token=${options.token}`,
    server,
    close: async () => {
      for (const s of streams) s.end();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
