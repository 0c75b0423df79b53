// Which transport this page uses: IPC when the desktop shell exposed window.voxlab, else HTTP to the
// `voxlab serve` that served the page. Only HTTP pages sign in (the desktop app has no sessions).

import type { ExposedApi } from '../../core/api/index.js';

export type TransportKind = 'ipc' | 'http';

/** 'ipc' when `win.voxlab` exists (the desktop shell's preload), else 'http'. */
export function transportKind(win: { voxlab?: ExposedApi } = globalThis as { voxlab?: ExposedApi }): TransportKind {
  return win.voxlab !== undefined ? 'ipc' : 'http';
}
