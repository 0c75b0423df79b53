// Picks the renderer's transport: window.voxlab in the desktop app (IPC through the preload), otherwise
// HTTP to the `voxlab serve` that served this page (the token is the HttpOnly cookie set at ?token=). Every
// call's outcome feeds the connection indicator (renderer/api/connection.ts).

import {
  bridgeTransport,
  createClient,
  httpTransport,
  type CoreApi,
  type ExposedApi,
  type Transport,
} from '../../core/api/index.js';
import { watchedTransport } from './connection.js';
import { transportKind } from './transportKind.js';

/** The transport for this page: IPC when the desktop shell exposed window.voxlab, else HTTP to this origin. */
export function pickTransport(
  win: { voxlab?: ExposedApi } = globalThis as { voxlab?: ExposedApi },
): Transport {
  return transportKind(win) === 'ipc' ? bridgeTransport(win.voxlab!) : httpTransport({ baseUrl: '' });
}

/** The typed contract for this page, its events over one shared stream, its calls watched. */
export function connectCore(): CoreApi {
  return createClient(watchedTransport(pickTransport()));
}
