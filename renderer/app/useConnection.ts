// Keeps the page connected: the heartbeat runs while the app is open, and each time the connection comes
// back (a server restart, a network blip) the study, the open scan's label and any unsaved writes are
// refreshed or sent, a training run the new core does not know is shown as stopped (an inference or
// explanation too: its job is asked for again), and a scan that failed
// to open for lack of a server is opened again.

import { useEffect } from 'react';
import { core } from '../api/core.js';
import { startHeartbeat } from '../api/connection.js';
import { refreshMaps, waitAgainAfterReconnect } from '../features/explain/explainActions.js';
import { loadLabel, sendUnsaved } from '../features/labeling/labelActions.js';
import { reopenSelected } from '../features/studyList/reopen.js';
import { checkRunAfterReconnect } from '../features/training/trainActions.js';
import { refreshStudy } from '../features/studyList/useStudyLoader.js';
import { useConnectionStore } from '../stores/useConnectionStore.js';
import { useLabelStore } from '../stores/useLabelStore.js';
import { useStudyStore } from '../stores/useStudyStore.js';
import { useViewerStore } from '../stores/useViewerStore.js';

/** What the app does once the core is reachable again. */
export async function onReconnected(): Promise<void> {
  await sendUnsaved();
  await refreshStudy();
  await checkRunAfterReconnect();
  waitAgainAfterReconnect();
  const selected = useStudyStore.getState().selectedId;
  if (selected === null) return;
  await loadLabel(selected);
  await refreshMaps(selected); // maps made while the page was away (CLI, API) are listed
  if (useViewerStore.getState().error !== null) reopenSelected();
}

export function useConnection(): void {
  useEffect(() => {
    const stop = startHeartbeat(() => core().server.info());
    const unsubscribe = useConnectionStore.subscribe((s, before) => {
      if (s.reconnects > before.reconnects) void onReconnected();
    });
    // Writes kept from an earlier page (a reload while the server was away) go out now.
    if (useLabelStore.getState().unsaved.length > 0) void sendUnsaved();
    return () => {
      stop();
      unsubscribe();
    };
  }, []);
}
