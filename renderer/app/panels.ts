// Which side panels the caller sees (issue #13): a panel whose main action the role may not call is not
// offered (an annotator sees no Train or Explain), and Reading (agreement, adjudication) only in a study
// with accounts, for the roles that may read the agreement report. Admin (accounts and the audit log) only in
// a study with accounts, for a known role that may list the accounts and the audit log: the admin role, the
// server's operator included. A local study shows what it always did.

import type { Role } from '../../core/api/index.js';
import { mayCall } from '../api/permissions.js';
import { PANELS, type Panel } from '../stores/useUiStore.js';

/** The panels for `role` (null: unknown, as a local study) in a study with or without `accounts`, in tab order. */
export function panelsFor(role: Role | null, accounts: boolean): Panel[] {
  return PANELS.filter((p) => {
    switch (p) {
      case 'Train':
        return mayCall('train.start', role);
      case 'Explain':
        return mayCall('explain.run', role);
      case 'Reading':
        return accounts && mayCall('agreement.report', role);
      case 'Admin':
        return accounts && role !== null && mayCall('users.list', role) && mayCall('audit.list', role);
      default:
        return true;
    }
  });
}
