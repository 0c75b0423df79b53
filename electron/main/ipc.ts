// The main-process IPC glue, generated from the contract: one ipcMain.handle per method channel, each
// relayed to the core process (after checking the sender), and core events broadcast to windows.

import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import {
  EVENT_CHANNEL,
  INVOKE_CHANNELS,
  methodOfChannel,
  type ApiEvent,
  type Envelope,
} from '../../core/api/index.js';
import { isTrustedSender } from './security.js';

/** How calls reach the core (the utility process's RpcClient, or anything alike in tests). */
export interface CoreLink {
  call(method: string, args: unknown, data?: ArrayBuffer): Promise<Envelope>;
  onEvent(listener: (e: ApiEvent) => void): () => void;
}

const refused = (message: string): Envelope => ({
  ok: false,
  error: { name: 'VoxlabError', code: 'BAD_ARGUMENT', message },
});

/** Registers a handler on every allow-listed channel; returns the function that removes them. */
export function wireIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  core: () => CoreLink | null,
): () => void {
  for (const channel of INVOKE_CHANNELS) {
    const method = methodOfChannel(channel)!;
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, args: unknown, data: unknown) => {
      if (!isTrustedSender(event.senderFrame))
        return refused(`${method}: refused a call from a page that is not voxlab's`);
      if (data !== undefined && !(data instanceof ArrayBuffer) && !ArrayBuffer.isView(data))
        return refused(`${method}: binary data must be an ArrayBuffer`);
      const bytes =
        data === undefined
          ? undefined
          : data instanceof ArrayBuffer
            ? data
            : (data as Uint8Array).slice().buffer;
      const link = core();
      if (link === null) return refused(`${method}: no study is open yet`);
      return link.call(method, args, bytes as ArrayBuffer | undefined);
    });
  }
  return () => INVOKE_CHANNELS.forEach((c) => ipcMain.removeHandler(c));
}

/** Sends every core event to the windows `targets()` returns (on EVENT_CHANNEL). */
export function forwardEvents(
  core: CoreLink,
  targets: () => readonly { send(channel: string, ...args: unknown[]): void; isDestroyed(): boolean }[],
): () => void {
  return core.onEvent((e) => {
    for (const t of targets()) if (!t.isDestroyed()) t.send(EVENT_CHANNEL, e);
  });
}
