// The Electron side of the contract, without Electron: channel names (one per method, the preload's
// allow-list), the grouped object the preload exposes as window.voxlab, and the renderer's Transport over
// it. contextBridge drops custom Error properties, so calls answer with Envelopes and the typed client
// (createClient) is rebuilt in the renderer: error codes survive.

import { VoxlabError } from '../common/errors.js';
import { openEnvelope, type Envelope, type Transport } from './client.js';
import { API_VERSION, METHOD_NAMES, type MethodName } from './methods.js';
import type { ApiEvent } from './types.js';

export const IPC_PREFIX = 'voxlab:';
/** Core → renderer events. */
export const EVENT_CHANNEL = 'voxlab:event';

/** The IPC channel of a method: 'voxlab:labels.set'. */
export function channelOf(method: MethodName): string {
  return `${IPC_PREFIX}${method}`;
}

/** Every channel the renderer may invoke: exactly one per contract method. */
export const INVOKE_CHANNELS: readonly string[] = METHOD_NAMES.map(channelOf);

/** The method of an allowed channel, or null. */
export function methodOfChannel(channel: string): MethodName | null {
  if (!channel.startsWith(IPC_PREFIX)) return null;
  const name = channel.slice(IPC_PREFIX.length);
  return (METHOD_NAMES as readonly string[]).includes(name) ? (name as MethodName) : null;
}

/** window.voxlab: one function per method, grouped like CoreApi, answering Envelopes; plus events. */
export interface ExposedApi {
  readonly apiVersion: number;
  readonly methods: readonly string[];
  readonly [group: string]: unknown;
  onEvent(listener: (event: ApiEvent) => void): () => void;
}

/** What the preload needs from ipcRenderer (a subset, so this file does not import Electron). */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** Builds window.voxlab from METHODS over `ipc`: only allow-listed channels are ever invoked. */
export function buildExposedApi(ipc: IpcRendererLike): ExposedApi {
  const groups: Record<string, Record<string, unknown>> = {};
  for (const method of METHOD_NAMES) {
    const [group, name] = method.split('.') as [string, string];
    const channel = channelOf(method);
    groups[group] ??= {};
    groups[group][name] = (args?: unknown, data?: ArrayBuffer) =>
      ipc.invoke(channel, args ?? {}, data) as Promise<Envelope>;
  }
  const onEvent = (listener: (event: ApiEvent) => void) => {
    const wrapped = (_e: unknown, event: unknown) => listener(event as ApiEvent);
    ipc.on(EVENT_CHANNEL, wrapped);
    return () => void ipc.removeListener(EVENT_CHANNEL, wrapped);
  };
  return { apiVersion: API_VERSION, methods: [...METHOD_NAMES], ...groups, onEvent };
}

/** The renderer's Transport over window.voxlab. Throws INTERNAL when the preload's contract is another version. */
export function bridgeTransport(exposed: ExposedApi): Transport {
  if (exposed.apiVersion !== API_VERSION)
    throw new VoxlabError(
      'INTERNAL',
      `The desktop shell speaks API version ${exposed.apiVersion}, the UI ${API_VERSION}: reinstall voxlab`,
    );
  return {
    async invoke(method, args, data) {
      const [group, name] = method.split('.') as [string, string];
      const fn = (
        exposed[group] as Record<string, (a: unknown, d?: ArrayBuffer) => Promise<Envelope>> | undefined
      )?.[name];
      if (typeof fn !== 'function')
        throw new VoxlabError('INTERNAL', `The desktop shell does not offer ${method}`);
      return openEnvelope(await fn(args, data));
    },
    subscribe: (listener) => exposed.onEvent(listener),
  };
}
