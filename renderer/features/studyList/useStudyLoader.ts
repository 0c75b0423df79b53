// Loads the study (name, images, classes, active-learning ranking) and keeps it fresh from core events.

import { useEffect } from 'react';
import { core } from '../../api/core.js';
import { describeError } from '../../api/describeError.js';
import { useStudyStore } from '../../stores/useStudyStore.js';

/** Reloads images, classes and the ranking; errors land in the study store as words. */
export async function refreshStudy(): Promise<void> {
  const api = core();
  const store = useStudyStore.getState();
  try {
    const [info, images, classes] = await Promise.all([api.server.info(), api.datastore.list(), api.classes.list()]);
    store.setStudy(info.study.name, images, classes);
    store.setError(null);
    // Entropy ranks by stored predictions; without any, the core refuses it: list order then.
    const strategy = images.some((i) => i.prediction !== null) ? 'entropy' : 'first';
    const ranking = await api.active.next({ strategy }).catch(() => api.active.next({ strategy: 'first' }));
    useStudyStore.getState().setScores(ranking.ranking);
  } catch (e) {
    store.setError(describeError(e));
  }
}

export function useStudyLoader(): void {
  useEffect(() => {
    void refreshStudy().then(() => (document.body.dataset.ready = 'true'));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = core().events.subscribe((e) => {
      if (e.type !== 'label.changed' && e.type !== 'datastore.changed' && e.type !== 'classes.changed') return;
      clearTimeout(timer);
      timer = setTimeout(() => void refreshStudy(), 150); // coalesce bursts (an import, an inference run)
    });
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, []);
}
