// The one check every write about "this scan" passes first: the scan the user chose must be the one whose
// pixels are on screen (issue #10: a label was saved for a scan whose image never loaded).

import { useStudyStore } from '../stores/useStudyStore.js';
import { useViewerStore } from '../stores/useViewerStore.js';

/** The id of the chosen scan when its volume is shown in the viewer; null while loading, failed or none chosen. */
export function scanOnScreen(): string | null {
  const selected = useStudyStore.getState().selectedId;
  return selected !== null && useViewerStore.getState().loadedId === selected ? selected : null;
}

/** The same as a React hook: re-renders when the answer changes. */
export function useScanOnScreen(): string | null {
  const selected = useStudyStore((s) => s.selectedId);
  const loaded = useViewerStore((s) => s.loadedId);
  return selected !== null && loaded === selected ? selected : null;
}
