// The page's one connection to the core (IPC in the desktop app, HTTP under `voxlab serve`).

import type { CoreApi } from '../../core/api/index.js';
import { connectCore } from './transport.js';

let api: CoreApi | null = null;

/** The typed contract for this page, connected on first use. */
export function core(): CoreApi {
  api ??= connectCore();
  return api;
}
