// Whether a view's canvas shows anything yet: Cornerstone copies each WebGL frame to the view's 2D canvas,
// and the first renders after a volume arrives can still be black while the texture uploads.

import { volumeViewport } from './cornerstone.js';
import type { ViewName } from '../stores/useViewerStore.js';

/** Grey level above which a pixel counts as drawn (the views' background is black). */
const LIT = 8;

/** True when some pixel of `view`'s canvas is brighter than black (sampled on a 64x64 grid). */
export function viewHasPixels(view: ViewName): boolean {
  const canvas = volumeViewport(view)?.canvas;
  const ctx = canvas?.getContext('2d');
  if (canvas === undefined || ctx === null || ctx === undefined || canvas.width === 0 || canvas.height === 0) return false;
  const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  for (let y = 0; y < 64; y++)
    for (let x = 0; x < 64; x++) {
      const p = 4 * (Math.floor(((y + 0.5) * canvas.height) / 64) * canvas.width + Math.floor(((x + 0.5) * canvas.width) / 64));
      if (px[p]! > LIT || px[p + 1]! > LIT || px[p + 2]! > LIT) return true;
    }
  return false;
}
