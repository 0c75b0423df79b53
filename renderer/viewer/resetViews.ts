// Resets zoom, pan and slice of every view to the volume's centre.

import { VIEWS } from '../stores/useViewerStore.js';
import { volumeViewport } from './cornerstone.js';

export function resetViews(): void {
  for (const view of VIEWS) {
    const vp = volumeViewport(view);
    if (vp === null) continue;
    vp.resetCamera();
    vp.render();
  }
}
