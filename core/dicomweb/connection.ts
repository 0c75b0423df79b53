// Where a DICOMweb server is and how to speak to it: the root URL, the Authorization header (a secret: it
// goes into request headers and nowhere else) and the retry timing (issue #11).

import { VoxlabError } from '../common/errors.js';

/** A DICOMweb server (a PACS such as Orthanc with its DICOMweb plugin). */
export interface DicomwebConnection {
  /** The DICOMweb root, e.g. `http://127.0.0.1:8042/dicom-web` (http or https; no user name or password in it). */
  readonly url: string;
  /** Sent as the Authorization header (`Bearer TOKEN`, `Basic ...`); never written into a message, log line or error. */
  readonly authorization?: string;
  /** Waits before the 2nd, 3rd, ... try of a failed request, in milliseconds. Default 250, 500, 1000 (3 retries). */
  readonly retryDelaysMs?: readonly number[];
  /** A request that receives nothing for this long (ms) counts as a dropped connection. Default 60 000. */
  readonly stallTimeoutMs?: number;
}

export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [250, 500, 1000];
export const DEFAULT_STALL_TIMEOUT_MS = 60_000;

/**
 * Checks `conn` and returns its root without a trailing slash. BAD_ARGUMENT, in words, for a URL that is not
 * http(s), carries credentials (they belong in `authorization`), or for an authorization value with line breaks.
 * The messages never repeat the authorization value or a password.
 */
export function checkConnection(conn: DicomwebConnection): string {
  if (typeof conn !== 'object' || conn === null || typeof conn.url !== 'string')
    throw new VoxlabError('BAD_ARGUMENT', 'DICOMweb: give the server as { url: "http://host:port/dicom-web" }');
  let parsed: URL;
  try {
    parsed = new URL(conn.url);
  } catch {
    throw new VoxlabError('BAD_ARGUMENT', `DICOMweb: '${conn.url}' is not a URL; give the DICOMweb root, e.g. http://pacs:8042/dicom-web`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    parsed.username = '';
    parsed.password = '';
    throw new VoxlabError('BAD_ARGUMENT', `DICOMweb: the URL ${parsed.href} must not carry a user name or password; give them as the authorization header instead`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new VoxlabError('BAD_ARGUMENT', `DICOMweb: the URL must start with http:// or https://, got ${parsed.protocol}//...`);
  if (parsed.search !== '' || parsed.hash !== '')
    throw new VoxlabError('BAD_ARGUMENT', `DICOMweb: give the DICOMweb root (${parsed.origin}${parsed.pathname}) without a query or fragment`);
  const auth = conn.authorization;
  if (auth !== undefined && (typeof auth !== 'string' || auth.trim() === '' || /[\r\n]/.test(auth)))
    throw new VoxlabError('BAD_ARGUMENT', 'DICOMweb: the authorization header must be one non-empty line (for example "Bearer TOKEN")');
  const delays = conn.retryDelaysMs;
  if (delays !== undefined && (!Array.isArray(delays) || delays.some((d) => typeof d !== 'number' || !(d >= 0))))
    throw new VoxlabError('BAD_ARGUMENT', 'DICOMweb: retryDelaysMs must be a list of waits of 0 ms or more');
  if (conn.stallTimeoutMs !== undefined && !(conn.stallTimeoutMs > 0))
    throw new VoxlabError('BAD_ARGUMENT', `DICOMweb: stallTimeoutMs must be above 0, got ${String(conn.stallTimeoutMs)}`);
  return parsed.href.replace(/\/+$/, '');
}

/** The URL of `path` (already percent-encoded, no leading slash) under the server's root. */
export function endpoint(conn: DicomwebConnection, path: string): string {
  return `${checkConnection(conn)}/${path}`;
}

/** Headers for a request: `extra` plus Authorization when the connection has one. */
export function requestHeaders(conn: DicomwebConnection, extra: Record<string, string>): Record<string, string> {
  return conn.authorization === undefined ? { ...extra } : { ...extra, Authorization: conn.authorization };
}

/** `text` with the authorization value (and its credential part after the scheme) replaced: for text a server sent back. */
export function redactSecret(conn: DicomwebConnection, text: string): string {
  const auth = conn.authorization;
  if (auth === undefined) return text;
  const credential = auth.trim().split(/\s+/).slice(1).join(' ');
  let out = text.split(auth).join('[authorization]');
  if (credential.length >= 4) out = out.split(credential).join('[authorization]');
  return out;
}
