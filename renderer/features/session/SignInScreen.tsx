// The sign-in screen of a team study (issue #13): paste a personal token, get a session; refusals in
// words (wrong or disabled token, too many attempts), and why the page came back here when it did. Where the
// server has single sign-on (voxlab serve --oidc-issuer), a button starts it (the provider sends the browser
// back to the app with a session).

import { useEffect, useRef, useState } from 'react';
import { authConfig, type AuthConfig } from '../../api/signIn.js';
import { useSessionStore } from '../../stores/useSessionStore.js';
import { submitToken } from './sessionActions.js';

export function SignInScreen(): React.JSX.Element {
  const message = useSessionStore((s) => s.message);
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [config, setConfig] = useState<AuthConfig>({ oidc: null });
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
    void authConfig().then(setConfig);
  }, []);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    const p = await submitToken(token);
    setBusy(false);
    setProblem(p);
    if (p !== null) input.current?.select();
  };
  return (
    <div className="signin-page">
      <form className="signin" aria-label="Sign in" onSubmit={(e) => void submit(e)}>
        <span className="brand">voxlab</span>
        <h1>Sign in to this study</h1>
        {message !== null && (
          <p className="signin-message" role="status" data-testid="signin-message">
            {message}
          </p>
        )}
        {config.oidc !== null && (
          <>
            <a className="button primary signin-sso" href={config.oidc.start} data-testid="signin-sso">
              {config.oidc.label}
            </a>
            <p className="muted small signin-or">or</p>
          </>
        )}
        <label htmlFor="signin-token">Paste your personal token</label>
        <input
          id="signin-token"
          ref={input}
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={token}
          onChange={(e) => setToken(e.target.value)}
        />
        <p className="muted small">
          An admin of this study gave it to you (<code>voxlab users add NAME --role …</code>). This browser keeps a session
          cookie, not the token.
        </p>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {problem !== null && (
          <p className="problem" role="alert" data-testid="signin-problem">
            {problem}
          </p>
        )}
      </form>
    </div>
  );
}
