// A personal token shown once (issue #13), after an account is added or its token replaced: the token, a Copy
// button and who to give it to. The token lives only in the props of this box: closing it forgets it.

import { useState } from 'react';
import { tokenNotice } from './accountView.js';
import type { NewToken } from './adminActions.js';

export function TokenOnceBox(props: { shown: NewToken; onClose: () => void }): React.JSX.Element {
  const { name, token, why } = props.shown;
  const [copied, setCopied] = useState<string | null>(null);
  const copy = () =>
    navigator.clipboard.writeText(token).then(
      () => setCopied('Copied.'),
      () => setCopied('Copying was refused by the browser: select the token and copy it by hand.'),
    );
  return (
    <div className="token-once" role="dialog" aria-label={`Personal token of ${name}`} data-testid="token-once">
      <p>
        <b>{why === 'added' ? `Account ${name} added.` : `New token for ${name}; the old one no longer works.`}</b>
      </p>
      <code className="token-value" data-testid="token-value">
        {token}
      </code>
      <p className="token-warning" data-testid="token-notice">
        {tokenNotice(name)}
      </p>
      <div className="row-actions">
        <button className="primary" onClick={() => void copy()}>
          Copy
        </button>
        <button onClick={props.onClose}>Close</button>
        {copied !== null && <span className="muted small" data-testid="token-copied">{copied}</span>}
      </div>
    </div>
  );
}
