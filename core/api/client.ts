// The generic client: builds the typed, grouped CoreApi (api.labels.set(...), ...) from METHODS over any
// Transport (HTTP in a browser, IPC in Electron, in-process in tests). No method is written by hand here.

import { VoxlabError } from '../common/errors.js';
import type { VoxlabErrorJson } from '../common/errors.js';
import {
  METHOD_NAMES,
  specOf,
  type ApiTypes,
  type IsUpload,
  type MethodName,
  type Req,
  type Res,
} from './methods.js';
import { validateArgs } from './schema.js';
import { shareEvents } from './shareEvents.js';
import type { ApiEvent, JobInfo } from './types.js';

/** What a transport returns for one call: the JSON result and, for binary methods, the bytes. */
export interface RawResult {
  readonly result: unknown;
  readonly data?: ArrayBuffer;
}

/** Moves calls and events; rejects with VoxlabError (codes intact) when the core refuses a call. */
export interface Transport {
  invoke(method: MethodName, args: Record<string, unknown>, data?: ArrayBuffer): Promise<RawResult>;
  /** Delivers core events until the returned function is called. */
  subscribe(listener: (event: ApiEvent) => void): () => void;
}

/** The envelope IPC and in-process transports carry (errors as VoxlabErrorJson, never thrown across). */
export type Envelope =
  | { readonly ok: true; readonly result: unknown; readonly data?: ArrayBuffer }
  | { readonly ok: false; readonly error: VoxlabErrorJson };

/** Turns an envelope back into a result, or throws its VoxlabError. */
export function openEnvelope(e: Envelope): RawResult {
  if (!e.ok) throw VoxlabError.fromJSON(e.error);
  return e.data === undefined ? { result: e.result } : { result: e.result, data: e.data };
}

type Args<M extends MethodName> = Record<never, never> extends Req<M> ? [args?: Req<M>] : [args: Req<M>];
/** One generated method: arguments (and bytes for uploads) → the answer. */
export type MethodFn<M extends MethodName> =
  IsUpload<M> extends true
    ? (args: Req<M>, data?: ArrayBuffer | ArrayBufferView) => Promise<Res<M>>
    : (...args: Args<M>) => Promise<Res<M>>;

type Group<M> = M extends `${infer G}.${string}` ? G : never;
type InGroup<G extends string> = {
  [M in MethodName as M extends `${G}.${infer N}` ? N : never]: MethodFn<M>;
};

/** The whole contract as nested async functions, plus the event stream. */
export type CoreApi = { readonly [G in Group<MethodName>]: InGroup<G> } & {
  readonly events: { subscribe(listener: (event: ApiEvent) => void): () => void };
  /** Resolves with the job once it leaves 'running' (from events, confirmed by jobs.get). */
  waitForJob(jobId: string, options?: { signal?: AbortSignal }): Promise<JobInfo>;
};

/** The bytes of a view or buffer as a standalone ArrayBuffer. */
export function toArrayBuffer(data: ArrayBuffer | ArrayBufferView): ArrayBuffer {
  if (data instanceof ArrayBuffer) return data;
  return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
}

async function callMethod(
  transport: Transport,
  method: MethodName,
  args: unknown,
  data: unknown,
): Promise<unknown> {
  const spec = specOf(method);
  validateArgs(method, spec.request, args); // a bad call fails here, with the same message the core would give
  const bytes = data === undefined ? undefined : toArrayBuffer(data as ArrayBuffer);
  const raw = await transport.invoke(method, (args ?? {}) as Record<string, unknown>, bytes);
  if (spec.kind !== 'binary') return raw.result;
  if (raw.data === undefined) throw new VoxlabError('INTERNAL', `${method}: the transport returned no bytes`);
  return { meta: raw.result, data: raw.data };
}

/** Builds the CoreApi over `transport`: one function per METHODS entry, grouped by the name's prefix. */
export function createClient(connection: Transport): CoreApi {
  // One upstream event stream per client, whatever the number of listeners (see shareEvents.ts).
  const transport = shareEvents(connection);
  const groups: Record<string, Record<string, unknown>> = {};
  for (const method of METHOD_NAMES) {
    const [group, name] = method.split('.') as [string, string];
    groups[group] ??= {};
    groups[group][name] = (args?: unknown, data?: unknown) => callMethod(transport, method, args, data);
  }
  const subscribe = (listener: (event: ApiEvent) => void) => transport.subscribe(listener);
  const api = { ...groups, events: { subscribe } } as unknown as CoreApi;
  const waitForJob = (jobId: string, options: { signal?: AbortSignal } = {}) =>
    waitFor(api, jobId, options.signal);
  return Object.assign(api, { waitForJob });
}

function waitFor(api: CoreApi, jobId: string, signal: AbortSignal | undefined): Promise<JobInfo> {
  return new Promise<JobInfo>((resolve, reject) => {
    let settled = false;
    const finish = (job: JobInfo | null, error?: unknown) => {
      if (settled) return;
      if (job !== null && job.state === 'running') return;
      settled = true;
      unsubscribe();
      signal?.removeEventListener('abort', onAbort);
      if (error !== undefined) reject(error);
      else resolve(job!);
    };
    const onAbort = () => finish(null, new VoxlabError('CANCELLED', `waitForJob(${jobId}): stopped waiting`));
    const unsubscribe = api.events.subscribe((e) => {
      if (e.type === 'job' && e.job.id === jobId) finish(e.job);
    });
    signal?.addEventListener('abort', onAbort);
    // The job may have finished before the subscription: ask once.
    api.jobs.get({ jobId }).then(
      (job) => finish(job),
      (e: unknown) => finish(null, e),
    );
  });
}

/** A compile-time list of the methods a CoreApi exposes, for tests that walk it. */
export function methodPath(method: MethodName): [string, string] {
  return method.split('.') as [string, string];
}

export type { ApiTypes };
