// The Admin panel's calls against a mocked core: a new token is handed back once and kept in no store; the
// audit log is fetched page by page with afterSeq/limit; a refusal lands in the store in words.

import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AccountInfo, AuditRow, Req, Role } from '../../../core/api/index.js';
import { VoxlabError } from '../../../core/common/errors.js';
import { useAdminStore } from '../../stores/useAdminStore.js';

const list = vi.fn<() => Promise<AccountInfo[]>>();
const add = vi.fn<(req: { name: string; role: Role }) => Promise<AccountInfo & { token: string }>>();
const disable = vi.fn<(req: { name: string }) => Promise<AccountInfo>>();
const rotate = vi.fn<(req: { name: string }) => Promise<AccountInfo & { token: string }>>();
const auditList = vi.fn<(req: Req<'audit.list'>) => Promise<{ rows: AuditRow[]; verified: boolean }>>();
vi.mock('../../api/core.js', () => ({
  core: () => ({ users: { list, add, disable, rotate }, audit: { list: auditList } }),
}));

const { addAccount, disableAccount, filterAudit, refreshAudit, rotateToken } = await import('./adminActions.js');
const { FETCH_LIMIT } = await import('./auditView.js');

const info = (name: string, role: Role = 'annotator'): AccountInfo => ({
  name,
  role,
  createdAt: '2026-12-06T10:00:00Z',
  createdBy: 'boss',
  rotatedAt: null,
  disabledAt: null,
});
const row = (seq: number, method = 'labels.set'): AuditRow => ({
  seq,
  at: '2026-12-06T10:00:00Z',
  account: 'boss',
  role: 'admin',
  method,
  target: null,
  beforeVersion: null,
  afterVersion: null,
  detail: null,
  hash: `h${seq}`,
});
/** An audit log of `n` rows answered by afterSeq/limit like the core. */
const logOf = (n: number, verified = true) => async (req: Req<'audit.list'>) => {
  const after = req.afterSeq ?? 0;
  const limit = req.limit ?? 1000;
  return { rows: Array.from({ length: Math.max(0, Math.min(limit, n - after)) }, (_, i) => row(after + i + 1)), verified };
};

describe('admin actions', () => {
  beforeEach(() => {
    useAdminStore.getState().reset();
    for (const f of [list, add, disable, rotate, auditList]) f.mockReset();
    list.mockResolvedValue([info('boss', 'admin')]);
    auditList.mockImplementation(logOf(0));
  });

  it('adds an account: the token comes back once and is kept in no store', async () => {
    const token = 'vxl_7_secret-token-value';
    add.mockResolvedValue({ ...info('Dr Grey', 'reviewer'), token });
    list.mockResolvedValue([info('boss', 'admin'), info('Dr Grey', 'reviewer')]);
    const shown = await addAccount('  Dr Grey ', 'reviewer');
    expect(add).toHaveBeenCalledWith({ name: 'Dr Grey', role: 'reviewer' });
    expect(shown).toEqual({ name: 'Dr Grey', token, why: 'added' });
    expect(useAdminStore.getState().accounts.map((a) => a.name)).toEqual(['boss', 'Dr Grey']);
    expect(JSON.stringify(useAdminStore.getState())).not.toContain('secret-token-value');
    expect(useAdminStore.getState()).toMatchObject({ busy: false, accountsProblem: null });
  });

  it('a taken name is refused in words, with no token', async () => {
    add.mockRejectedValue(new VoxlabError('ALREADY_EXISTS', 'There is already an account "ann1"'));
    expect(await addAccount('ann1', 'annotator')).toBeNull();
    expect(useAdminStore.getState().accountsProblem).toMatch(/^Not added: there is already an account "ann1"/);
  });

  it('the core refusing to disable the admin itself is said in words', async () => {
    disable.mockRejectedValue(new VoxlabError('BAD_ARGUMENT', 'You cannot disable your own account: ask another admin'));
    expect(await disableAccount('boss')).toBe(false);
    expect(useAdminStore.getState().accountsProblem).toMatch(/you cannot disable your own account/);
  });

  it('disables and rotates, refreshing the list and the log', async () => {
    disable.mockResolvedValue({ ...info('ann1'), disabledAt: '2026-12-06T11:00:00Z' });
    rotate.mockResolvedValue({ ...info('ann2'), token: 'vxl_3_new' });
    auditList.mockImplementation(logOf(2));
    expect(await disableAccount('ann1')).toBe(true);
    expect(disable).toHaveBeenCalledWith({ name: 'ann1' });
    expect(await rotateToken('ann2')).toEqual({ name: 'ann2', token: 'vxl_3_new', why: 'rotated' });
    expect(list).toHaveBeenCalledTimes(2);
    expect(useAdminStore.getState().audit.map((r) => r.seq)).toEqual([1, 2]);
  });

  it('fetches the log FETCH_LIMIT rows at a time by afterSeq, then only newer rows', async () => {
    auditList.mockImplementation(logOf(FETCH_LIMIT + 20, false));
    await refreshAudit();
    expect(auditList.mock.calls.map(([r]) => r.afterSeq)).toEqual([0, FETCH_LIMIT]);
    expect(useAdminStore.getState().audit).toHaveLength(FETCH_LIMIT + 20);
    expect(useAdminStore.getState().verified).toBe(false);
    auditList.mockClear();
    auditList.mockImplementation(logOf(FETCH_LIMIT + 22));
    await refreshAudit();
    expect(auditList.mock.calls.map(([r]) => r.afterSeq)).toEqual([FETCH_LIMIT + 20]);
    expect(useAdminStore.getState().audit.at(-1)!.seq).toBe(FETCH_LIMIT + 22);
    expect(useAdminStore.getState().verified).toBe(true);
  });

  it('a new filter starts over with that filter; a failure is said in words', async () => {
    auditList.mockImplementation(logOf(3));
    await refreshAudit();
    auditList.mockClear();
    auditList.mockResolvedValue({ rows: [row(2, 'users.add')], verified: true });
    await filterAudit({ account: 'boss', method: 'users.add', target: '' });
    expect(auditList).toHaveBeenCalledWith({ account: 'boss', method: 'users.add', afterSeq: 0, limit: FETCH_LIMIT });
    expect(useAdminStore.getState().audit.map((r) => r.method)).toEqual(['users.add']);
    auditList.mockRejectedValue(new VoxlabError('FORBIDDEN', 'x (annotator) may not see the audit log (audit.list): it needs the role admin'));
    await refreshAudit();
    expect(useAdminStore.getState().auditProblem).toMatch(/^The audit log could not be loaded: Not allowed for your role/);
    expect(useAdminStore.getState().auditLoading).toBe(false);
  });
});
