// The page's front door (issue #13): asks the server who this page runs as, then shows the app, or the
// sign-in screen when a team study needs a personal token (at a first visit, after signing out, or when
// the server stopped accepting the session mid-way).

import { useEffect } from 'react';
import { useSessionStore } from '../../stores/useSessionStore.js';
import { checkSession } from './sessionActions.js';
import { SignInScreen } from './SignInScreen.js';

export function SessionGate(props: { children: React.ReactNode }): React.JSX.Element {
  const phase = useSessionStore((s) => s.phase);
  useEffect(() => {
    void checkSession();
  }, []);
  useEffect(() => {
    if (phase === 'ready') useSessionStore.getState().markAppShown();
  }, [phase]);
  if (phase === 'checking')
    return (
      <div className="signin-page" data-testid="session-checking">
        <p className="muted">Connecting to the study…</p>
      </div>
    );
  if (phase === 'signIn') return <SignInScreen />;
  return <>{props.children}</>;
}
