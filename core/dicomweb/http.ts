// HTTP for the DICOMweb client: one try of a request with a stall watchdog, retries with backoff for failures
// worth another try (network errors, dropped or stalled connections, HTTP 5xx / 408 / 429), and the mapping of
// everything else to coded errors. The authorization value never enters a message.

import { VoxlabError, isVoxlabError } from '../common/errors.js';
import { DEFAULT_RETRY_DELAYS_MS, DEFAULT_STALL_TIMEOUT_MS, checkConnection, redactSecret, requestHeaders, type DicomwebConnection } from './connection.js';

/** A failure that another try may cure; `reason` is in words and free of secrets. */
export class TransientFailure extends Error {
  override readonly name = 'TransientFailure';
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** One try in progress: its signal (the caller's, the watchdog's) and `alive()` to call whenever bytes arrive. */
export interface Attempt {
  readonly signal: AbortSignal;
  readonly alive: () => void;
}

/** Statuses another try may cure: timeout, too many requests, server errors. */
const TRANSIENT_STATUS = (status: number) => status === 408 || status === 429 || status >= 500;

/**
 * Sends one request and checks its status: the response when it is 2xx or in `accept`; REMOTE_REFUSED for 401
 * and 403; TransientFailure for 408, 429 and 5xx; REMOTE_ERROR (details.status) for the other statuses.
 */
export async function send(
  conn: DicomwebConnection,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: Uint8Array },
  attempt: Attempt,
  accept: readonly number[] = [],
): Promise<Response> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: requestHeaders(conn, init.headers ?? {}),
    ...(init.body !== undefined ? { body: init.body } : {}),
    signal: attempt.signal,
    redirect: 'follow',
  });
  attempt.alive();
  if (res.ok || accept.includes(res.status)) return res;
  const root = checkConnection(conn);
  if (res.status === 401 || res.status === 403) {
    await res.body?.cancel();
    throw new VoxlabError('REMOTE_REFUSED', `the PACS at ${root} refused access (HTTP ${res.status}): check the authorization header`, {
      url: root,
      status: res.status,
    });
  }
  if (TRANSIENT_STATUS(res.status)) {
    await res.body?.cancel();
    throw new TransientFailure(`HTTP ${res.status}`);
  }
  const text = redactSecret(conn, (await res.text().catch(() => '')).replace(/\s+/g, ' ').trim()).slice(0, 200);
  throw new VoxlabError('REMOTE_ERROR', `the PACS at ${root} answered HTTP ${res.status} ${res.statusText}${text ? `: ${text}` : ''}`, {
    url: root,
    status: res.status,
  });
}

/** `e` as a TransientFailure when it is one (network error, dropped connection, cut-short answer), else undefined. */
function asTransient(e: unknown): TransientFailure | undefined {
  if (e instanceof TransientFailure) return e;
  if (isVoxlabError(e)) return e.details?.truncated === true ? new TransientFailure(`the answer was cut short (${e.message})`) : undefined;
  // fetch and body reads reject with TypeError on network failures ('fetch failed', 'terminated').
  if (e instanceof TypeError) {
    const cause = (e as { cause?: { code?: unknown; message?: unknown } }).cause;
    const detail = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : e.message;
    return new TransientFailure(`the connection failed or dropped (${detail})`);
  }
  return undefined;
}

/**
 * Runs one try of `task`: CANCELLED when `signal` aborts, TransientFailure for failures worth another try
 * (including no bytes for the connection's stall timeout), other errors as they are.
 */
export async function tryOnce<T>(conn: DicomwebConnection, signal: AbortSignal | undefined, task: (attempt: Attempt) => Promise<T>): Promise<T> {
  if (signal?.aborted) throw cancelled();
  const stall = new AbortController();
  const stallMs = conn.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const alive = () => {
    clearTimeout(timer);
    timer = setTimeout(() => stall.abort(), stallMs);
  };
  alive();
  const combined = signal === undefined ? stall.signal : AbortSignal.any([signal, stall.signal]);
  try {
    return await task({ signal: combined, alive });
  } catch (e) {
    if (signal?.aborted) throw cancelled(e);
    if (stall.signal.aborted) throw new TransientFailure(`no data for ${stallMs / 1000} s`);
    throw asTransient(e) ?? e;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs `task` with retries: a TransientFailure waits the connection's next delay and tries again; after the
 * last try REMOTE_UNREACHABLE naming the server and `what` (never the authorization value).
 */
export async function withRetries<T>(conn: DicomwebConnection, what: string, signal: AbortSignal | undefined, task: (attempt: Attempt) => Promise<T>): Promise<T> {
  const delays = conn.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  for (let i = 0; ; i++) {
    try {
      return await tryOnce(conn, signal, task);
    } catch (e) {
      if (!(e instanceof TransientFailure)) throw e;
      if (i >= delays.length) throw unreachable(conn, what, i + 1, e);
      await sleep(delays[i]!, signal);
    }
  }
}

/** REMOTE_UNREACHABLE for `what` after `tries` tries that ended in `last`. */
export function unreachable(conn: DicomwebConnection, what: string, tries: number, last: TransientFailure): VoxlabError {
  const root = checkConnection(conn);
  return new VoxlabError('REMOTE_UNREACHABLE', `the PACS at ${root} did not answer ${what} after ${tries} tries: ${redactSecret(conn, last.reason)}`, {
    url: root,
    tries,
  });
}

/** CANCELLED, for a caller's abort. */
export function cancelled(cause?: unknown): VoxlabError {
  return new VoxlabError('CANCELLED', 'the DICOMweb transfer was cancelled', undefined, cause === undefined ? undefined : { cause });
}

/** Waits `ms`; CANCELLED as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled());
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Reads `res`'s body as JSON (null for 204 or an empty body); REMOTE_ERROR naming `what` for text that is not JSON. */
export async function readJson(conn: DicomwebConnection, res: Response, what: string, attempt: Attempt): Promise<unknown> {
  if (res.status === 204) return null;
  const text = await res.text();
  attempt.alive();
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Neither V8's message nor the error as cause: they quote the text, which may hold patient data.
    const root = checkConnection(conn);
    throw new VoxlabError('REMOTE_ERROR', `the PACS at ${root} sent ${what} that is not JSON (${text.length} characters)`, { url: root });
  }
}
