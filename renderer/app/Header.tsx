// The app header: the study, the scan on screen (or what is happening to the chosen one), who is reading
// (with Change; signed in with an account: "Signed in as NAME (role)" with Sign out), and the connection light.

import { AccountBadge } from '../features/session/AccountBadge.js';
import { useIdentityStore } from '../stores/useIdentityStore.js';
import { signedInAccount, useSessionStore } from '../stores/useSessionStore.js';
import { useStudyStore } from '../stores/useStudyStore.js';
import { useViewerStore } from '../stores/useViewerStore.js';
import { ConnectionIndicator } from './ConnectionIndicator.js';

export function Header(): React.JSX.Element {
  const studyName = useStudyStore((s) => s.studyName);
  const selectedId = useStudyStore((s) => s.selectedId);
  // Only what the header shows: a whole-store subscription would re-render it on every slice scroll.
  const loadedId = useViewerStore((s) => s.loadedId);
  const loading = useViewerStore((s) => s.loading);
  const error = useViewerStore((s) => s.error);
  const reader = useIdentityStore((s) => s.reader);
  const ask = useIdentityStore((s) => s.ask);
  const account = useSessionStore((s) => signedInAccount(s));
  const scan =
    selectedId === null
      ? ''
      : loadedId === selectedId
        ? selectedId
        : loading
          ? `${selectedId} (loading…)`
          : error !== null
            ? `${selectedId} (could not open)`
            : selectedId;
  return (
    <header className="app-header">
      <span className="brand">voxlab</span>
      <span className="muted">{studyName}</span>
      <span className="header-scan" data-testid="header-scan">
        {scan}
      </span>
      <span className="header-right">
        {account !== null ? (
          <AccountBadge />
        ) : (
          <span className="reader" data-testid="reader">
            Reader: <b>{reader ?? 'nobody yet'}</b>{' '}
            <button className="link" onClick={() => ask()}>
              {reader === null ? 'Enter name' : 'Change'}
            </button>
          </span>
        )}
        <ConnectionIndicator />
      </span>
    </header>
  );
}
