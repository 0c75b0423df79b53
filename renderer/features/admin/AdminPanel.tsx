// The Admin panel of a team study (issue #13), for admins only (renderer/app/panels.ts): the accounts
// (add, disable, replace a token) and the audit log with its chain status.

import { useState } from 'react';
import { AccountsSection } from './AccountsSection.js';
import { AuditLog } from './AuditLog.js';

const VIEWS = ['Accounts', 'Audit log'] as const;

export function AdminPanel(): React.JSX.Element {
  const [view, setView] = useState<(typeof VIEWS)[number]>('Accounts');
  return (
    <div className="admin-panel" data-testid="admin-panel">
      <div className="admin-views" role="group" aria-label="Admin">
        {VIEWS.map((v) => (
          <button key={v} aria-pressed={view === v} className={view === v ? 'active' : ''} onClick={() => setView(v)}>
            {v}
          </button>
        ))}
      </div>
      {view === 'Accounts' ? <AccountsSection /> : <AuditLog />}
    </div>
  );
}
