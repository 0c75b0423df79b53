// Opens the chosen scan again (after it failed to open), through the same path as choosing it in the list.

import { useStudyStore } from '../../stores/useStudyStore.js';

export function reopenSelected(): void {
  const s = useStudyStore.getState();
  const id = s.selectedId;
  if (id === null) return;
  s.select(null);
  setTimeout(() => useStudyStore.getState().select(id), 0);
}
