// `voxlab users add NAME --role R | list | disable NAME | rotate NAME --study DIR [--json]`: the accounts of
// a team study (issue #13). Run by whoever holds the study folder (the server's operator): it writes the
// database directly and records each change in the audit log as the local user. A personal token is
// printed once, on stdout, and never stored (only its hash).

import { VoxlabError } from '../../common/errors.js';
import { ROLES, addAccount, disableAccount, listAccounts, rotateToken, type Account, type Role } from '../../datastore/accounts.js';
import { appendAudit } from '../../datastore/audit.js';
import { openStudy } from '../../datastore/index.js';
import { requiredOption, stringOption, type Command } from '../command.js';

const ACTIONS = ['add', 'list', 'disable', 'rotate'] as const;

function row(a: Account): string {
  const state = a.disabledAt !== null ? `disabled ${a.disabledAt}` : a.rotatedAt !== null ? `token rotated ${a.rotatedAt}` : 'active';
  return `${a.name.padEnd(24)} ${a.role.padEnd(11)} ${state} (added ${a.createdAt} by ${a.createdBy})`;
}

export const usersCommand: Command = {
  name: 'users',
  usage: 'add NAME --role annotator|reviewer|researcher|admin | list | disable NAME | rotate NAME --study DIR [--json]',
  summary:
    'Manage the accounts of a team study: each person signs in with a personal token (printed once). A study with accounts refuses calls without one.',
  positionals: [1, 2],
  options: {
    study: { type: 'string', help: 'the study folder' },
    role: { type: 'string', help: `add: one of ${ROLES.join(', ')}` },
    json: { type: 'boolean', help: 'print JSON on stdout' },
  },
  async run(args) {
    const [action, name] = args.positionals as [string, string | undefined];
    if (!(ACTIONS as readonly string[]).includes(action))
      throw new VoxlabError('BAD_ARGUMENT', `voxlab users: the action must be one of ${ACTIONS.join(', ')}, got '${action}'`);
    if (action !== 'list' && name === undefined)
      throw new VoxlabError('BAD_ARGUMENT', `voxlab users ${action} needs the account name: voxlab users ${action} NAME --study DIR`);
    const study = openStudy(requiredOption(args, 'study'));
    const json = args.values.json === true;
    const audit = (method: string, target: string, detail?: Record<string, unknown>) =>
      appendAudit(study, { account: 'local', role: 'admin', method, target, detail: { via: 'cli', ...detail } });
    try {
      if (action === 'list') {
        const accounts = listAccounts(study);
        process.stdout.write(json ? `${JSON.stringify(accounts)}\n` : accounts.length === 0 ? 'no accounts: this is a local study (one implicit local user)\n' : `${accounts.map(row).join('\n')}\n`);
        return 0;
      }
      if (action === 'disable') {
        const account = disableAccount(study, name!);
        audit('users.disable', name!);
        process.stdout.write(json ? `${JSON.stringify(account)}\n` : `${row(account)}\nIts token and sessions are refused from now on.\n`);
        return 0;
      }
      const role = stringOption(args, 'role');
      if (action === 'add' && role === undefined)
        throw new VoxlabError('BAD_ARGUMENT', `voxlab users add needs --role (${ROLES.join(', ')})`);
      const { account, token } = action === 'add' ? addAccount(study, name!, role as Role, 'local') : rotateToken(study, name!);
      audit(`users.${action}`, name!, action === 'add' ? { role } : undefined);
      process.stdout.write(
        json
          ? `${JSON.stringify({ ...account, token })}\n`
          : `${row(account)}\n\npersonal token (shown this once; give it to ${account.name} privately):\n${token}\n`,
      );
      return 0;
    } finally {
      study.close();
    }
  },
};
