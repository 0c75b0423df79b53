// The header's connection light: connected, reconnecting (with what is kept meanwhile), or refused (the
// server's access token changed: open the new link).

import { useConnectionStore } from '../stores/useConnectionStore.js';
import { useLabelStore } from '../stores/useLabelStore.js';

const time = (iso: string) => new Date(iso).toLocaleTimeString();

export function ConnectionIndicator(): React.JSX.Element {
  const { state, since, detail } = useConnectionStore();
  const unsaved = useLabelStore((s) => s.unsaved.length);
  const text =
    state === 'online'
      ? 'Connected'
      : state === 'offline'
        ? `Server unreachable since ${time(since)}: reconnecting…`
        : 'Access refused: open the link `voxlab serve` printed';
  return (
    <span className={`connection connection-${state}`} data-testid="connection" data-state={state} title={detail ?? text} role="status">
      <span className="connection-dot" aria-hidden="true" />
      {text}
      {unsaved > 0 && (
        <span className="unsaved-count" data-testid="unsaved-count">
          {' '}
          · {unsaved} not saved
        </span>
      )}
    </span>
  );
}
