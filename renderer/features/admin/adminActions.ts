// The Admin panel's calls (issue #13): the accounts (users.list/add/disable/rotate) and the audit log
// (audit.list, fetched page by page with afterSeq/limit). A new personal token is handed back to the caller
// (the once-only box), never put in a store. Each refusal in words.

import type { AccountInfo, Role } from '../../../core/api/index.js';
import { core } from '../../api/core.js';
import { describeError } from '../../api/describeError.js';
import { useAdminStore, type AuditFilter } from '../../stores/useAdminStore.js';
import { accountProblem } from './accountView.js';
import { FETCH_LIMIT, auditRequest, lastSeq, mergeAudit } from './auditView.js';

/** A token to show once, with the account it belongs to. */
export interface NewToken {
  readonly name: string;
  readonly token: string;
  readonly why: 'added' | 'rotated';
}

/** Loads the account list. */
export async function loadAccounts(): Promise<void> {
  const store = useAdminStore.getState();
  try {
    store.setAccounts(await core().users.list({}));
  } catch (e) {
    store.setAccountsProblem(`The accounts could not be loaded: ${describeError(e)}`);
  }
}

/** Runs one account change: busy while it runs, the refusal in words, the list and the log refreshed after. */
async function change<T>(action: 'add' | 'disable' | 'rotate', name: string, call: () => Promise<T>): Promise<T | null> {
  const store = useAdminStore.getState();
  store.setBusy(true);
  store.setAccountsProblem(null);
  try {
    return await call();
  } catch (e) {
    useAdminStore.getState().setAccountsProblem(accountProblem(action, name, e));
    return null;
  } finally {
    useAdminStore.getState().setBusy(false);
    await Promise.all([loadAccounts(), refreshAudit()]);
  }
}

/** Adds the account `name` with `role`; answers its personal token (to show once) or null (refused, in the store). */
export async function addAccount(name: string, role: Role): Promise<NewToken | null> {
  const trimmed = name.trim();
  const added = await change('add', trimmed, () => core().users.add({ name: trimmed, role }));
  return added === null ? null : { name: added.name, token: added.token, why: 'added' };
}

/** Disables `name` at once (its token and sessions are refused from the next request); false when refused. */
export async function disableAccount(name: string): Promise<boolean> {
  return (await change<AccountInfo>('disable', name, () => core().users.disable({ name }))) !== null;
}

/** Replaces the token of `name` (the old one is refused at once); answers the new token or null. */
export async function rotateToken(name: string): Promise<NewToken | null> {
  const rotated = await change('rotate', name, () => core().users.rotate({ name }));
  return rotated === null ? null : { name: rotated.name, token: rotated.token, why: 'rotated' };
}

/**
 * Fetches the audit rows matching the store's filter newer than those it holds, FETCH_LIMIT at a time until
 * a short page; the chain status comes with every answer. A filter changed meanwhile drops the answer.
 */
export async function refreshAudit(): Promise<void> {
  const start = useAdminStore.getState();
  const filter = start.filter;
  start.setAuditLoading(true);
  try {
    for (;;) {
      const answer = await core().audit.list(auditRequest(filter, lastSeq(useAdminStore.getState().audit)));
      if (useAdminStore.getState().filter !== filter) return;
      // Merged with the rows held now, so two refreshes at once lose nothing.
      useAdminStore.getState().setAudit(mergeAudit(useAdminStore.getState().audit, answer.rows), answer.verified);
      if (answer.rows.length < FETCH_LIMIT) break;
    }
    useAdminStore.getState().setAuditProblem(null);
  } catch (e) {
    if (useAdminStore.getState().filter === filter) useAdminStore.getState().setAuditProblem(`The audit log could not be loaded: ${describeError(e)}`);
  } finally {
    if (useAdminStore.getState().filter === filter) useAdminStore.getState().setAuditLoading(false);
  }
}

/** Applies a new audit filter and loads its rows from the start. */
export async function filterAudit(filter: AuditFilter): Promise<void> {
  useAdminStore.getState().setFilter(filter);
  await refreshAudit();
}
