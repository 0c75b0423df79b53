// The one entry point both transports use: validate a call against the contract, run its handler, and
// answer in the transport-neutral form (JSON result, or metadata + bytes for binary methods).

import { METHODS, specOf, validateArgs, type Caller, type MethodName } from '../api/index.js';
import { VoxlabError, isVoxlabError } from '../common/errors.js';
import { auditCall } from './auditCall.js';
import { LOCAL_CALLER } from './callers.js';
import type { Handlers } from './service/context.js';
import type { Study } from '../datastore/index.js';

/** A handled call: the JSON result (binary methods: the metadata) and, for binary methods, the bytes. */
export interface Dispatched {
  readonly result: unknown;
  readonly bytes?: Uint8Array;
}

/** True when `name` is a method of the contract (an own key of METHODS, so '__proto__' is not). */
export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(METHODS, name);
}

/**
 * Runs `method` with `args` (and `bytes` for uploads) as `caller`. Throws BAD_ARGUMENT for unknown methods,
 * bad arguments, bytes sent to a method that takes none, or over its size limit (TOO_LARGE); FORBIDDEN
 * when the caller's role is not in the method's `roles`; otherwise what the handler throws. Non-Voxlab
 * errors become INTERNAL (the original is the cause). An account's writes carry its name as the author,
 * whatever the request said; with `study`, a method marked `audit` is recorded in the audit log once it
 * succeeded, before the answer goes out.
 */
export async function dispatch(
  handlers: Handlers,
  method: unknown,
  args: unknown,
  bytes?: Uint8Array,
  caller: Caller = LOCAL_CALLER,
  study?: Study,
): Promise<Dispatched> {
  if (!isMethodName(method))
    throw new VoxlabError('BAD_ARGUMENT', `Unknown method ${JSON.stringify(method)?.slice(0, 80)}`, {
      method: String(method).slice(0, 80),
    });
  const spec = specOf(method);
  if (!spec.roles.includes(caller.role))
    throw new VoxlabError(
      'FORBIDDEN',
      `${caller.name} (${caller.role}) may not ${spec.summary} (${method}): it needs the role ${spec.roles.join(' or ')}`,
      { method, role: caller.role, roles: [...spec.roles] },
    );
  const valid = validateArgs(method, spec.request, args) as Record<string, unknown>;
  // The author of a write is the signed-in account, never a field the client sends (issue #13).
  if (caller.kind === 'account' && Object.hasOwn(spec.request, 'author')) valid.author = caller.name;
  if (bytes !== undefined && spec.upload !== true)
    throw new VoxlabError('BAD_ARGUMENT', `${method} takes no binary data`, { method });
  if (bytes !== undefined && bytes.byteLength > (spec.maxBytes ?? 0))
    throw new VoxlabError(
      'TOO_LARGE',
      `${method}: ${bytes.byteLength} bytes is over the limit of ${spec.maxBytes}`,
      { method },
    );
  const handler = handlers[method] as (a: unknown, b: Uint8Array | undefined, c: Caller) => Promise<unknown>;
  let out: unknown;
  try {
    out = await handler(valid, bytes, caller);
  } catch (e) {
    if (isVoxlabError(e)) throw e;
    throw new VoxlabError(
      'INTERNAL',
      `${method} failed: ${(e as Error)?.message ?? String(e)}`,
      { method },
      { cause: e },
    );
  }
  if (study !== undefined && spec.audit === true) auditCall(study, method, caller, valid, out);
  if (spec.kind !== 'binary') return { result: out };
  const { meta, bytes: data } = out as { meta: unknown; bytes: Uint8Array };
  return { result: meta, bytes: data };
}
