// How the Admin panel words accounts (issue #13): state, dates, the once-only token notice, and each refusal
// of users.add / users.disable / users.rotate in words a study admin can act on.

import type { AccountInfo } from '../../../core/api/index.js';
import { describeError } from '../../api/describeError.js';

/** An ISO time as "2026-12-06 17:38 UTC" (the server's clock, the same for every admin); '' for null. */
export function formatWhen(iso: string | null): string {
  if (iso === null) return '';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?/.exec(iso);
  return m === null ? iso : `${m[1]!} ${m[2]!} UTC`;
}

/** 'active' or 'disabled'. */
export function accountState(a: AccountInfo): 'active' | 'disabled' {
  return a.disabledAt === null ? 'active' : 'disabled';
}

/** "created by admin on 2026-12-06 17:38 UTC". */
export function createdInWords(a: AccountInfo): string {
  return `created by ${a.createdBy} on ${formatWhen(a.createdAt)}`;
}

/** "token rotated 2026-12-06 17:40 UTC" / "token never rotated". */
export function rotatedInWords(a: AccountInfo): string {
  return a.rotatedAt === null ? 'token never rotated' : `token rotated ${formatWhen(a.rotatedAt)}`;
}

/** The words under a token shown once (after users.add or users.rotate). */
export function tokenNotice(name: string): string {
  return `This token is shown this once; give it to ${name} privately. voxlab keeps only its hash: nobody can show it again.`;
}

export type AccountAction = 'add' | 'disable' | 'rotate';

const VERB: Record<AccountAction, string> = { add: 'Not added', disable: 'Not disabled', rotate: 'Token not replaced' };

/**
 * Why `action` on the account `name` was refused, in words: a taken name, a name the study cannot use, the
 * admin's own account (the core refuses to disable it), an account gone meanwhile; anything else as
 * describeError says it.
 */
export function accountProblem(action: AccountAction, name: string, e: unknown): string {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  const verb = VERB[action];
  switch (code) {
    case 'ALREADY_EXISTS':
      return `${verb}: there is already an account "${name}". Choose another name (a disabled account keeps its name).`;
    case 'BAD_ARGUMENT':
      if (action === 'disable') return `${verb}: you cannot disable your own account. Ask another admin to do it.`;
      return `${verb}: "${name}" cannot be an account name. Use 1 to 64 letters, digits, spaces or . _ @ -, starting with a letter or digit.`;
    case 'NOT_FOUND':
      return `${verb}: there is no account "${name}" in this study any more. The list is refreshed.`;
    default:
      return `${verb}: ${describeError(e)}`;
  }
}
