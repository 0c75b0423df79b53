// What dispatch records for a write (issue #13): the account (for the local user, the author the request
// named), the method, its target, and the versions before and after, read from the request and the answer.
// Secrets never enter the log: personal tokens in answers and PACS Authorization values are left out.

import type { Caller, MethodName } from '../api/index.js';
import { appendAudit } from '../datastore/audit.js';
import type { Study } from '../datastore/index.js';

/** Request fields that name what a write is about, in order of preference. */
const TARGET_FIELDS = ['imageId', 'modelId', 'runId', 'jobId', 'uploadId', 'name', 'value', 'path', 'url'] as const;
/** Request fields kept out of the detail: secrets, and what the row already holds. */
const HIDDEN = new Set(['authorization', 'author', 'expectedVersion', 'token']);

/** Appends the audit row of a successful `method` call (one transaction). */
export function auditCall(study: Study, method: MethodName, caller: Caller, args: Record<string, unknown>, out: unknown): void {
  const field = TARGET_FIELDS.find((f) => args[f] !== undefined && args[f] !== null);
  const answer = (typeof out === 'object' && out !== null ? ('meta' in out ? (out as { meta: unknown }).meta : out) : {}) as Record<string, unknown>;
  const detail: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) if (!HIDDEN.has(k) && k !== field && typeof v !== 'object') detail[k] = v;
  if (typeof answer.id === 'string' && answer.kind !== undefined) detail.jobId = answer.id;
  const account = caller.kind === 'local' && typeof args.author === 'string' ? args.author : caller.name;
  appendAudit(study, {
    account,
    role: caller.role,
    method,
    target: field === undefined ? null : String(args[field]),
    beforeVersion: typeof args.expectedVersion === 'number' ? args.expectedVersion : null,
    afterVersion: typeof answer.version === 'number' ? answer.version : null,
    detail: Object.keys(detail).length > 0 ? detail : null,
  });
}
