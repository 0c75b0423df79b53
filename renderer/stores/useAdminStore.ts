// The Admin panel's data (issue #13): the study's accounts and the audit log as loaded so far (oldest first,
// as audit.list answers), its filter, the page shown, and whether the log's hash chain checks out. A personal
// token never goes here: the box that shows it once keeps it in its own component state.

import { create } from 'zustand';
import type { AccountInfo, AuditRow } from '../../core/api/index.js';

/** The audit filter as typed: '' means any. */
export interface AuditFilter {
  readonly account: string;
  readonly method: string;
  readonly target: string;
}

export const NO_FILTER: AuditFilter = { account: '', method: '', target: '' };

export interface AdminState {
  readonly accounts: readonly AccountInfo[];
  /** Why the accounts are not shown, or the last account action's refusal, in words. */
  readonly accountsProblem: string | null;
  readonly busy: boolean;
  /** The audit rows matching `filter`, oldest first (seq ascending), without gaps or repeats. */
  readonly audit: readonly AuditRow[];
  /** The whole log's hash chain checks out; null before the first answer. */
  readonly verified: boolean | null;
  readonly auditProblem: string | null;
  readonly auditLoading: boolean;
  readonly filter: AuditFilter;
  /** The page of the newest-first view (0: the newest rows). */
  readonly page: number;
  setAccounts(accounts: readonly AccountInfo[]): void;
  setAccountsProblem(problem: string | null): void;
  setBusy(busy: boolean): void;
  /** Replaces the audit rows (a new filter) or appends newer ones; `verified` is the latest answer's. */
  setAudit(rows: readonly AuditRow[], verified: boolean): void;
  setAuditProblem(problem: string | null): void;
  setAuditLoading(loading: boolean): void;
  /** A new filter: the rows are unknown until loaded again, the view goes back to the newest page. */
  setFilter(filter: AuditFilter): void;
  setPage(page: number): void;
  reset(): void;
}

const INITIAL = {
  accounts: [],
  accountsProblem: null,
  busy: false,
  audit: [],
  verified: null,
  auditProblem: null,
  auditLoading: false,
  filter: NO_FILTER,
  page: 0,
} as const satisfies Partial<AdminState>;

export const useAdminStore = create<AdminState>()((set) => ({
  ...INITIAL,
  setAccounts: (accounts) => set({ accounts }),
  setAccountsProblem: (accountsProblem) => set({ accountsProblem }),
  setBusy: (busy) => set({ busy }),
  setAudit: (audit, verified) => set({ audit, verified }),
  setAuditProblem: (auditProblem) => set({ auditProblem }),
  setAuditLoading: (auditLoading) => set({ auditLoading }),
  setFilter: (filter) => set({ filter, audit: [], page: 0 }),
  setPage: (page) => set({ page }),
  reset: () => set(INITIAL),
}));
