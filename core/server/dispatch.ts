// The one entry point both transports use: validate a call against the contract, run its handler, and
// answer in the transport-neutral form (JSON result, or metadata + bytes for binary methods).

import { METHODS, specOf, validateArgs, type Caller, type MethodName } from '../api/index.js';
import { VoxlabError, diskFullError, isDiskFull, isStudyBusy, isVoxlabError, studyBusyError } from '../common/errors.js';
import { auditCall } from './auditCall.js';
import { LOCAL_CALLER } from './callers.js';
import type { Handlers, Upload } from './service/context.js';
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
 * Throws FORBIDDEN unless `caller`'s role may call `method` (its `roles`). dispatch() checks it; the
 * transports check it first too where an upload would otherwise be stored before being refused.
 */
export function refuseRole(method: MethodName, caller: Caller): void {
  const spec = specOf(method);
  if (!spec.roles.includes(caller.role))
    throw new VoxlabError(
      'FORBIDDEN',
      `${caller.name} (${caller.role}) may not ${spec.summary} (${method}): it needs the role ${spec.roles.join(' or ')}`,
      { method, role: caller.role, roles: [...spec.roles] },
    );
}

/**
 * Runs `method` with `args` (and the `upload`ed file for uploads) as `caller`. Throws BAD_ARGUMENT for unknown methods,
 * bad arguments, an upload sent to a method that takes none, or over its size limit (TOO_LARGE); FORBIDDEN
 * when the caller's role is not in the method's `roles`; otherwise what the handler throws. Non-Voxlab
 * errors become INTERNAL (the original is the cause); a full disk (ENOSPC, EDQUOT, SQLITE_FULL, also as the
 * cause of an IO_ERROR) becomes DISK_FULL; SQLite's "database is locked" past its wait, STUDY_BUSY (503). An account's writes carry its name as the author,
 * whatever the request said; with `study`, a method marked `audit` is recorded in the audit log once it
 * succeeded, before the answer goes out.
 */
export async function dispatch(
  handlers: Handlers,
  method: unknown,
  args: unknown,
  upload?: Upload,
  caller: Caller = LOCAL_CALLER,
  study?: Study,
): Promise<Dispatched> {
  if (!isMethodName(method))
    throw new VoxlabError('BAD_ARGUMENT', `Unknown method ${JSON.stringify(method)?.slice(0, 80)}`, {
      method: String(method).slice(0, 80),
    });
  const spec = specOf(method);
  refuseRole(method, caller);
  const valid = validateArgs(method, spec.request, args) as Record<string, unknown>;
  // The author of a write is the signed-in account, never a field the client sends (issue #13).
  if (caller.kind === 'account' && Object.hasOwn(spec.request, 'author')) valid.author = caller.name;
  if (upload !== undefined && spec.upload !== true)
    throw new VoxlabError('BAD_ARGUMENT', `${method} takes no binary data`, { method });
  if (upload !== undefined && upload.size > (spec.maxBytes ?? 0))
    throw new VoxlabError(
      'TOO_LARGE',
      `${method}: ${upload.size} bytes is over the limit of ${spec.maxBytes}`,
      { method },
    );
  const handler = handlers[method] as (a: unknown, b: Upload | undefined, c: Caller) => Promise<unknown>;
  let out: unknown;
  try {
    out = await handler(valid, upload, caller);
  } catch (e) {
    // A full disk (ENOSPC, EDQUOT, SQLITE_FULL, raw or as the cause of an IO_ERROR) from any write path is
    // DISK_FULL (507), in words, whichever layer let it through (issue #15).
    if (isDiskFull(e)) throw diskFullError(method, e);
    // "database is locked" past busy_timeout: the handler's transaction was rolled back whole.
    if (isStudyBusy(e)) throw studyBusyError(method, e);
    if (isVoxlabError(e)) throw e;
    throw new VoxlabError(
      'INTERNAL',
      `${method} failed: ${(e as Error)?.message ?? String(e)}`,
      { method },
      { cause: e },
    );
  }
  if (study !== undefined && spec.audit === true) {
    try {
      auditCall(study, method, caller, valid, out);
    } catch (e) {
      if (!isStudyBusy(e)) throw e;
      throw new VoxlabError(
        'STUDY_BUSY',
        `${method}: the audit log could not record this call: another process kept the study locked too long. A change the call made is saved; try again.`,
        { method, auditOnly: true },
        { cause: e },
      );
    }
  }
  if (spec.kind !== 'binary') return { result: out };
  const { meta, bytes: data } = out as { meta: unknown; bytes: Uint8Array };
  return { result: meta, bytes: data };
}
