// Accounts and the audit log over the contract (issue #13): auth.whoami, users.*, audit.list. The role
// checks are dispatch's (the method table); these handlers only do the work.

import type { AccountInfo, AuditRow, Caller } from '../../api/index.js';
import { VoxlabError } from '../../common/errors.js';
import { addAccount, disableAccount, hasAccounts, listAccounts, rotateToken, type Account } from '../../datastore/accounts.js';
import { listAudit, verifyAudit } from '../../datastore/audit.js';
import type { Handlers, ServiceContext } from './context.js';

const info = (a: Account): AccountInfo => ({ ...a });

export function accountHandlers(
  context: ServiceContext,
): Pick<Handlers, 'auth.whoami' | 'users.list' | 'users.add' | 'users.disable' | 'users.rotate' | 'audit.list'> {
  const { study } = context;
  return {
    'auth.whoami': async (_args, _bytes, caller: Caller) => ({ ...caller, accounts: hasAccounts(study) }),
    'users.list': async () => listAccounts(study).map(info),
    'users.add': async ({ name, role }, _bytes, caller) => {
      const { account, token } = addAccount(study, name, role, caller.name);
      return { ...info(account), token };
    },
    'users.disable': async ({ name }, _bytes, caller) => {
      if (caller.kind === 'account' && caller.name === name)
        throw new VoxlabError('BAD_ARGUMENT', 'You cannot disable your own account: ask another admin');
      return info(disableAccount(study, name));
    },
    'users.rotate': async ({ name }) => {
      const { account, token } = rotateToken(study, name);
      return { ...info(account), token };
    },
    'audit.list': async (filter) => ({
      rows: listAudit(study, filter).map((r) => ({ ...r, detail: r.detail as AuditRow['detail'] })),
      verified: verifyAudit(study).ok,
    }),
  };
}
