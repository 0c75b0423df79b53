// The header's "Signed in as NAME (role)" with Sign out (issue #13); shown only for an account.

import { useState } from 'react';
import { signedInAccount, useSessionStore } from '../../stores/useSessionStore.js';
import { signOutNow } from './sessionActions.js';

export function AccountBadge(): React.JSX.Element | null {
  const account = useSessionStore((s) => signedInAccount(s));
  const [problem, setProblem] = useState<string | null>(null);
  if (account === null) return null;
  return (
    <span className="reader" data-testid="signed-in" title={problem ?? undefined}>
      Signed in as <b>{account.name}</b> ({account.role}){' '}
      <button className="link" onClick={() => void signOutNow().then(setProblem)}>
        Sign out
      </button>
      {problem !== null && <span className="bad small"> sign-out failed</span>}
    </span>
  );
}
