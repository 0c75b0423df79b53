// The study's accounts (issue #13): each with role, state, who created it and when, and when its token was
// last replaced; add, disable (confirmed first) and replace a token. New tokens are shown once.

import { useEffect, useState } from 'react';
import type { AccountInfo } from '../../../core/api/index.js';
import { useAdminStore } from '../../stores/useAdminStore.js';
import { signedInAccount, useSessionStore } from '../../stores/useSessionStore.js';
import { accountState, createdInWords, rotatedInWords } from './accountView.js';
import { disableAccount, loadAccounts, rotateToken, type NewToken } from './adminActions.js';
import { AddAccountForm } from './AddAccountForm.js';
import { TokenOnceBox } from './TokenOnceBox.js';

type Pending = { readonly action: 'disable' | 'rotate'; readonly name: string };

const CONFIRM: Record<Pending['action'], (name: string) => string> = {
  disable: (name) => `Disable ${name}? Their token and sessions stop working at once; the account and its work stay in the study.`,
  rotate: (name) => `Replace the token of ${name}? The old token stops working at once; you give them the new one.`,
};

export function AccountsSection(): React.JSX.Element {
  const { accounts, accountsProblem, busy } = useAdminStore();
  const me = useSessionStore((s) => signedInAccount(s)?.name ?? null);
  // The token shown once: component state only, dropped when the box closes.
  const [shown, setShown] = useState<NewToken | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  useEffect(() => void loadAccounts(), []);
  const confirm = async (p: Pending) => {
    setPending(null);
    if (p.action === 'disable') await disableAccount(p.name);
    else {
      const t = await rotateToken(p.name);
      if (t !== null) setShown(t);
    }
  };
  return (
    <section data-testid="accounts">
      <h3>Add an account</h3>
      <AddAccountForm busy={busy} onToken={setShown} />
      {shown !== null && <TokenOnceBox shown={shown} onClose={() => setShown(null)} />}
      {accountsProblem !== null && (
        <p className="problem" role="alert" data-testid="accounts-problem">
          {accountsProblem}
        </p>
      )}
      {pending !== null && (
        <div className="confirm" role="alertdialog" aria-label={`Confirm: ${pending.action} ${pending.name}`} data-testid="confirm">
          <p>{CONFIRM[pending.action](pending.name)}</p>
          <div className="row-actions">
            <button className="danger" disabled={busy} onClick={() => void confirm(pending)}>
              {pending.action === 'disable' ? `Disable ${pending.name}` : `Replace the token of ${pending.name}`}
            </button>
            <button onClick={() => setPending(null)}>Cancel</button>
          </div>
        </div>
      )}
      <h3>Accounts ({accounts.length})</h3>
      <ul className="account-list" data-testid="account-list">
        {accounts.map((a) => (
          <AccountRow key={a.name} account={a} me={me} busy={busy} onAsk={setPending} />
        ))}
      </ul>
    </section>
  );
}

function AccountRow(props: { account: AccountInfo; me: string | null; busy: boolean; onAsk: (p: Pending) => void }): React.JSX.Element {
  const a = props.account;
  const state = accountState(a);
  const self = a.name === props.me;
  return (
    <li className={`account-row ${state}`} data-testid="account-row" data-name={a.name} data-state={state}>
      <div className="account-head">
        <b>{a.name}</b>
        {self && <span className="muted small"> (you)</span>}
        <span className="chip chip-plain">{a.role}</span>
        <span className={`account-state ${state}`} data-testid="account-state">
          {state}
        </span>
      </div>
      <div className="muted small">
        {createdInWords(a)} · {rotatedInWords(a)}
      </div>
      {state === 'active' && (
        <div className="row-actions">
          <button disabled={props.busy} onClick={() => props.onAsk({ action: 'rotate', name: a.name })}>
            Replace token
          </button>
          <button
            className="danger"
            disabled={props.busy || self}
            title={self ? 'You cannot disable your own account: another admin must' : `Disable ${a.name} at once`}
            onClick={() => props.onAsk({ action: 'disable', name: a.name })}
          >
            Disable
          </button>
        </div>
      )}
    </li>
  );
}
