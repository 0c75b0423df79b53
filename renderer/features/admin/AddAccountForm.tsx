// Adding an account (issue #13): a name and a role; the new personal token goes to the once-only box.

import { useState } from 'react';
import type { Role } from '../../../core/api/index.js';
import { addAccount, type NewToken } from './adminActions.js';

const ROLES: readonly Role[] = ['annotator', 'reviewer', 'researcher', 'admin'];

export function AddAccountForm(props: { busy: boolean; onToken: (t: NewToken) => void }): React.JSX.Element {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('annotator');
  const submit = async () => {
    const shown = await addAccount(name, role);
    if (shown === null) return;
    setName('');
    props.onToken(shown);
  };
  return (
    <form
      className="add-account"
      data-testid="add-account"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label>
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Dr Grey" maxLength={64} />
      </label>
      <label>
        Role
        <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      <button className="primary" type="submit" disabled={props.busy || name.trim() === ''}>
        Add account
      </button>
    </form>
  );
}
