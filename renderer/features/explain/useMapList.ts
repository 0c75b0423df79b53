// Keeps the open scan's list of stored maps fresh: read when the scan opens (and after a reload or a server
// restart, since maps are study artifacts) and again whenever the core says its maps changed (a map made by
// the app, the CLI `voxlab explain --study` or another API client).

import { useEffect } from 'react';
import { core } from '../../api/core.js';
import { refreshMaps } from './explainActions.js';

export function useMapList(imageId: string | null): void {
  useEffect(() => {
    if (imageId === null) return;
    void refreshMaps(imageId);
    return core().events.subscribe((e) => {
      if (e.type === 'maps.changed' && e.imageId === imageId) void refreshMaps(imageId);
    });
  }, [imageId]);
}
