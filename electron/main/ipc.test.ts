// Every contract method is reachable through the generated Electron glue: the bundled preload's
// window.voxlab → (fake) ipcRenderer → wireIpc's ipcMain handlers → RpcClient → a MessageChannel standing
// in for the utility process → serveRpc → the service. Codes survive; foreign senders are refused.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { build } from 'rolldown';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EVENT_CHANNEL,
  INVOKE_CHANNELS,
  RpcClient,
  bridgeTransport,
  createClient,
  type CoreApi,
  type ExposedApi,
  type MethodName,
  type RpcEndpoint,
} from '../../core/api/index.js';
import { VoxlabError } from '../../core/common/errors.js';
import { serveRpc } from '../../core/server/rpcHost.js';
import { EVERY_METHOD, testCore, type TestCore } from '../../core/server/testing/fixtures.js';
import { wireIpc } from './ipc.js';

const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

function portEndpoint(port: MessagePort): RpcEndpoint {
  return {
    post: (m) => port.postMessage(m),
    listen: (listener) => {
      port.on('message', listener);
      return () => port.off('message', listener);
    },
  };
}

type Handler = (event: unknown, ...args: unknown[]) => unknown;
let core: TestCore;
let handlers: Map<string, Handler>;
let rpc: RpcClient;
let ports: MessageChannel;
let exposed: ExposedApi;
let api: CoreApi;
let senderUrl = 'app://voxlab/index.html';
const invokedChannels: string[] = [];
const eventListeners = new Set<(e: unknown, payload: unknown) => void>();

/** Loads the real preload bundle in a fresh context with fake electron modules; returns what it exposed. */
async function loadPreload(): Promise<ExposedApi> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'voxlab-preload-'));
  try {
    const file = path.join(dir, 'preload.cjs');
    await build({
      input: path.join(REPO, 'electron/preload/preload.ts'),
      platform: 'node',
      external: ['electron'],
      logLevel: 'silent',
      output: { file, format: 'cjs' },
    });
    const exposedWorld: Record<string, unknown> = {};
    const fakeElectron = {
      contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposedWorld[key] = value) },
      ipcRenderer: {
        invoke: (channel: string, ...args: unknown[]) => {
          invokedChannels.push(channel);
          const h = handlers.get(channel);
          if (h === undefined) return Promise.reject(new Error(`no handler for ${channel}`));
          return Promise.resolve(h({ senderFrame: { url: senderUrl, parent: null } }, ...args));
        },
        on: (channel: string, l: (e: unknown, p: unknown) => void) => {
          if (channel === EVENT_CHANNEL) eventListeners.add(l);
        },
        removeListener: (_c: string, l: (e: unknown, p: unknown) => void) => eventListeners.delete(l),
      },
    };
    const module = { exports: {} };
    runInNewContext(readFileSync(file, 'utf8'), {
      require: (id: string) => (id === 'electron' ? fakeElectron : undefined),
      module,
      exports: module.exports,
      Promise,
      Set,
      Error,
    });
    return exposedWorld.voxlab as ExposedApi;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  core = await testCore();
  ports = new MessageChannel();
  serveRpc(portEndpoint(ports.port1), core.service);
  rpc = new RpcClient(portEndpoint(ports.port2));
  rpc.onEvent((e) => eventListeners.forEach((l) => l({}, e)));
  handlers = new Map();
  wireIpc(
    {
      handle: (c: string, h: Handler) => void handlers.set(c, h),
      removeHandler: (c: string) => void handlers.delete(c),
    } as never,
    () => rpc,
  );
  exposed = await loadPreload();
  api = createClient(bridgeTransport(exposed));
});
afterAll(async () => {
  rpc.close({ code: 'CANCELLED', message: 'test over' });
  ports.port1.close();
  ports.port2.close();
  await core.close();
});

describe('Electron IPC generated from METHODS', () => {
  it('registers exactly one main-process handler per method channel', () => {
    expect([...handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
  });

  it('exposes every method as window.voxlab.group.name', () => {
    for (const m of Object.keys(EVERY_METHOD)) {
      const [g, n] = m.split('.') as [string, string];
      expect(typeof (exposed[g] as Record<string, unknown>)[n], m).toBe('function');
    }
  });

  it('reaches the handler of every method through preload → main → core process', async () => {
    for (const method of Object.keys(EVERY_METHOD) as MethodName[]) {
      const [g, n] = method.split('.') as [string, string];
      const c = EVERY_METHOD[method];
      const fn = (
        api as unknown as Record<string, Record<string, (a: unknown, d?: Uint8Array) => Promise<unknown>>>
      )[g]![n]!;
      const out = await fn(c.args, c.data?.()).then(
        () => null,
        (e: unknown) => e as VoxlabError,
      );
      if (c.ok) expect(out, `${method}: ${out?.message}`).toBeNull();
      else {
        expect(out, method).toBeInstanceOf(VoxlabError);
        expect(out!.code, `${method}: ${out!.message}`).not.toBe('INTERNAL');
      }
    }
    expect([...core.seen].sort()).toEqual(Object.keys(EVERY_METHOD).sort());
  });

  it('moves voxels as binary and keeps error codes', async () => {
    const { meta, data } = await api.datastore.volume({ imageId: 'img-a' });
    expect(meta.shape).toEqual([4, 5, 6]);
    expect(new Float32Array(data)[0]).toBe(7);
    const e = await api.labels.set({ imageId: 'nope', label: 'x', author: 'a' }).then(
      () => null,
      (x: unknown) => x as VoxlabError,
    );
    expect(e).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('delivers core events to window.voxlab.onEvent', async () => {
    const got: string[] = [];
    const stop = api.events.subscribe((e) => got.push(e.type));
    await api.labels.set({ imageId: 'img-c', label: 'x', author: 'ev' });
    await new Promise((r) => setTimeout(r, 50));
    stop();
    expect(got).toContain('label.changed');
  });

  it('refuses calls from a page that is not ours', async () => {
    senderUrl = 'https://evil.example/';
    try {
      const e = await api.server.info().then(
        () => null,
        (x: unknown) => x as VoxlabError,
      );
      expect(e?.message).toMatch(/not voxlab's/);
    } finally {
      senderUrl = 'app://voxlab/index.html';
    }
  });

  it('invokes only allow-listed channels', () => {
    expect(invokedChannels.length).toBeGreaterThan(0);
    expect(invokedChannels.every((c) => INVOKE_CHANNELS.includes(c))).toBe(true);
  });
});
