// What the training panel says about the MONAI engine (issue #14), from the core's train.engines: the
// button's words when a Python with PyTorch and MONAI is found, else why not (MonaiEngine.tsx shows it).

import type { TrainEngines } from '../../../core/api/index.js';

/** The button label, or null when the engine is not available. */
export function monaiButtonLabel(e: TrainEngines): string | null {
  const m = e.monai;
  if (!m.available) return null;
  const gpu = m.cudaDevices > 0 ? `, ${m.cudaDevices} GPU${m.cudaDevices === 1 ? '' : 's'}` : '';
  return `Train with MONAI (Python found: ${m.python ?? '?'}, torch ${m.torch ?? '?'}, MONAI ${m.monai ?? '?'}${gpu})`;
}

/** The line shown instead of the button: why there is no MONAI engine and how to get one. */
export function monaiUnavailableLine(e: TrainEngines): string {
  return `MONAI engine not available: ${e.monai.detail}`;
}
