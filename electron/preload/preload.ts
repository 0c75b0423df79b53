// The preload: exposes the contract as window.voxlab through contextBridge, generated from METHODS. It
// may only invoke the channels on the allow-list (one per contract method) and listen to the event channel.
// Bundled to dist/electron/preload.cjs (sandboxed preloads cannot load other files).

import { contextBridge, ipcRenderer } from 'electron';
import { EVENT_CHANNEL, INVOKE_CHANNELS, buildExposedApi } from '../../core/api/index.js';

const allowed = new Set(INVOKE_CHANNELS);

contextBridge.exposeInMainWorld(
  'voxlab',
  buildExposedApi({
    invoke: (channel, ...args) => {
      if (!allowed.has(channel))
        return Promise.reject(new Error(`voxlab preload: channel ${channel} is not allowed`));
      return ipcRenderer.invoke(channel, ...args);
    },
    on: (channel, listener) => (channel === EVENT_CHANNEL ? ipcRenderer.on(channel, listener) : undefined),
    removeListener: (channel, listener) => ipcRenderer.removeListener(channel, listener),
  }),
);
