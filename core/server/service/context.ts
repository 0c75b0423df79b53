// What every handler of the core service shares: the open study, jobs, events, and the handler types
// derived from the contract (a binary answer is metadata + bytes).

import type { Binary, Caller, MethodName, Req, Res } from '../../api/index.js';
import type { BackendReport } from '../../backend/selectBackend.js';
import type { Study } from '../../datastore/index.js';
import type { EventHub } from '../events.js';
import type { JobManager } from '../jobs.js';

export interface ServiceContext {
  readonly study: Study;
  readonly jobs: JobManager;
  readonly events: EventHub;
  /** voxlab's package version. */
  readonly version: string;
  /** Starts the tfjs backend once (the first call) and reports it. */
  backend(): Promise<BackendReport>;
}

/** A binary handler's answer: the JSON metadata and the bytes (sent without copying). */
export interface BinaryResult<M> {
  readonly meta: M;
  readonly bytes: Uint8Array;
}

/** What the handler of `M` resolves with. */
export type HandlerResult<M extends MethodName> =
  Res<M> extends Binary<infer Meta> ? BinaryResult<Meta> : Res<M>;

/**
 * An uploaded body (methods with `upload: true`), never held whole in memory: a temp file inside the study
 * (`<study>/.uploads/.upload.<pid>-<random>.tmp`, core/server/uploadFile.ts) that the transport wrote it to,
 * streamed from HTTP or written from the IPC ArrayBuffer. `size` is in bytes, at least 1 and within the
 * method's `maxBytes`. The handler may read the file or move it away (rename, same filesystem); the
 * transport removes it once the call is over, whatever happened.
 */
export interface Upload {
  /** Absolute path of the temp file. */
  readonly path: string;
  /** Its length in bytes. */
  readonly size: number;
}

/** The handler of `M`: validated arguments (and the uploaded file), run as `caller` → its answer. Rejects with VoxlabError. */
export type Handler<M extends MethodName> = (
  args: Req<M>,
  upload: Upload | undefined,
  caller: Caller,
) => Promise<HandlerResult<M>>;

/** One handler per contract method: the service. */
export type Handlers = { readonly [M in MethodName]: Handler<M> };
