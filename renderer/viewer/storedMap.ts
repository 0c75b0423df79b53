// The values of a stored heatmap (explain.open), fetched once for the last map asked for and shared by the
// overlay and the measurements (a map can be tens of MB: never fetched twice for one view).

import type { Binary, VolumeMeta } from '../../core/api/index.js';
import { core } from '../api/core.js';

let lastMap: { readonly mapId: string; readonly answer: Promise<Binary<VolumeMeta>> } | null = null;

/** The stored values of map `mapId`; a failed fetch is not kept (asked again next time). */
export function storedMapValues(mapId: string): Promise<Binary<VolumeMeta>> {
  if (lastMap?.mapId !== mapId) {
    const answer = core().explain.open({ mapId });
    lastMap = { mapId, answer };
    answer.catch(() => {
      if (lastMap?.answer === answer) lastMap = null;
    });
  }
  return lastMap.answer;
}
