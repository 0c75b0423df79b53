// WADO-RS retrieval of a series (DICOM PS3.18 section 10.4) as multipart/related application/dicom, streamed
// part by part; after a dropped connection only the instances not yet received are fetched, one by one.

import { VoxlabError, isVoxlabError } from '../common/errors.js';
import { DEFAULT_RETRY_DELAYS_MS, checkConnection, endpoint, type DicomwebConnection } from './connection.js';
import { TransientFailure, send, sleep, tryOnce, unreachable, withRetries, type Attempt } from './http.js';
import { readMultipart, type MultipartPart } from './multipart.js';
import { checkUid, searchInstances } from './qido.js';
import { sopInstanceUidOf } from './sopInstanceUid.js';

/** One retrieved DICOM file. `name` labels it (`<SOPInstanceUID>.dcm`, or its position when the UID is unreadable). */
export interface RetrievedInstance {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly sopInstanceUid: string | null;
}

export interface RetrieveOptions {
  readonly signal?: AbortSignal;
  /** Called after each instance received: `done` so far of `total` (the expected count; null while unknown). */
  readonly onInstance?: (done: number, total: number | null) => void;
  /** How many instances the series holds, when known (QIDO's NumberOfSeriesRelatedInstances): the first `total`. */
  readonly expected?: number | null;
}

/**
 * Every transfer syntax the server has (`*`, PS3.18 section 8.7.3.5.2): no transcoding on the server, and
 * dcm2niix decodes the compressed ones. Servers that refuse the parameter get the plain form instead.
 */
const ACCEPT_ANY_SYNTAX = 'multipart/related; type="application/dicom"; transfer-syntax=*';
const ACCEPT_DEFAULT = 'multipart/related; type="application/dicom"';

/** The bytes of one multipart body, each part handed to `onPart`; the stall watchdog fed per chunk. */
async function fetchParts(conn: DicomwebConnection, url: string, accept: string, attempt: Attempt, onPart: (part: MultipartPart) => void): Promise<void> {
  const res = await send(conn, url, { headers: { Accept: accept } }, attempt);
  if (res.body === null) throw new TransientFailure('the answer had no body');
  try {
    await readMultipart(res.body, res.headers.get('content-type'), onPart, attempt.alive);
  } catch (e) {
    if (isVoxlabError(e) && e.code === 'REMOTE_ERROR' && e.details?.truncated !== true)
      throw new VoxlabError('REMOTE_ERROR', `the PACS at ${checkConnection(conn)} sent an answer voxlab cannot read: ${e.message}`, { url: checkConnection(conn) }, { cause: e });
    throw e;
  } finally {
    await res.body.cancel().catch(() => undefined);
  }
}

/** Whether `e` is a server's refusal of the `transfer-syntax=*` Accept form (400 Bad Request, 406 Not Acceptable). */
const refusedAccept = (e: unknown) => isVoxlabError(e) && e.code === 'REMOTE_ERROR' && (e.details?.status === 400 || e.details?.status === 406);

/**
 * The DICOM files of series `seriesUid` of study `studyUid`, by WADO-RS `GET {root}/studies/{s}/series/{r}`.
 * A request that fails before any instance arrived is retried (the connection's delays); once some arrived, a
 * failure switches to resuming: the instance list (QIDO-RS) and `GET .../instances/{sop}` for each one missing,
 * each with retries. REMOTE_UNREACHABLE when the retries run out, REMOTE_REFUSED for 401/403, REMOTE_ERROR for
 * other refusals and unreadable answers, CANCELLED when `signal` aborts; BAD_ARGUMENT for a malformed UID.
 */
export async function retrieveSeries(conn: DicomwebConnection, studyUid: string, seriesUid: string, options: RetrieveOptions = {}): Promise<RetrievedInstance[]> {
  checkUid(studyUid, 'studyUid');
  checkUid(seriesUid, 'seriesUid');
  const { signal, onInstance } = options;
  const seriesPath = `studies/${studyUid}/series/${seriesUid}`;
  const byUid = new Map<string, RetrievedInstance>();
  const unnamed: RetrievedInstance[] = [];
  let total = options.expected ?? null;
  const add = (bytes: Uint8Array) => {
    const uid = sopInstanceUidOf(bytes);
    if (uid === null) unnamed.push({ name: `${byUid.size + unnamed.length + 1}.dcm`, bytes, sopInstanceUid: null });
    else byUid.set(uid, { name: `${uid}.dcm`, bytes, sopInstanceUid: uid });
    onInstance?.(byUid.size + unnamed.length, total);
  };

  let accept = ACCEPT_ANY_SYNTAX;
  const delays = conn.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  for (let tries = 1; ; tries++) {
    try {
      await tryOnce(conn, signal, (attempt) => fetchParts(conn, endpoint(conn, seriesPath), accept, attempt, (part) => add(part.body)));
      return [...byUid.values(), ...unnamed];
    } catch (e) {
      if (accept === ACCEPT_ANY_SYNTAX && refusedAccept(e) && byUid.size + unnamed.length === 0) {
        accept = ACCEPT_DEFAULT;
        tries--;
        continue;
      }
      if (!(e instanceof TransientFailure)) throw e;
      if (byUid.size + unnamed.length > 0) break;
      if (tries > delays.length) throw unreachable(conn, `the retrieval of series ${seriesUid}`, tries, e);
      await sleep(delays[tries - 1]!, signal);
    }
  }

  // Resume. Instances without a readable UID cannot be matched against the list: fetch everything again then.
  if (unnamed.length > 0) {
    unnamed.length = 0;
    byUid.clear();
  }
  const sops = await searchInstances(conn, studyUid, seriesUid, signal === undefined ? {} : { signal });
  total = sops.length;
  for (const sop of sops) {
    if (byUid.has(sop)) continue;
    checkUid(sop, 'SOPInstanceUID');
    const parts: Uint8Array[] = [];
    await withRetries(conn, `instance ${sop}`, signal, async (attempt) => {
      parts.length = 0;
      await fetchParts(conn, endpoint(conn, `${seriesPath}/instances/${sop}`), accept, attempt, (part) => parts.push(part.body));
    });
    if (parts.length === 0) throw new VoxlabError('REMOTE_ERROR', `the PACS at ${checkConnection(conn)} sent no data for instance ${sop}`, { url: checkConnection(conn) });
    for (const bytes of parts) add(bytes);
  }
  return [...byUid.values(), ...unnamed];
}
