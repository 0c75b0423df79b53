// Loads tfjs's threaded SIMD wasm build under Node with a real thread pool (issue #3, "Backends").
// tfjs-backend-wasm 4.22 never threads under Node: its WASM_HAS_MULTITHREAD_SUPPORT flag returns false
// there (tfjs issue 3830), its pthread worker is a `blob:` URL that Node's Worker cannot start, and the
// C++ side caps the XNNPACK pool at emscripten_num_logical_cores() / 2 whatever setThreadsCount asked.
// We re-register the 'wasm' backend factory with (1) the worker script written to a real .cjs file,
// (2) the emscripten glue loading its own file in each worker, and (3) the logical-core import
// answering 2 x threads, so that the pool gets exactly `threads` threads. Same BackendWasm class,
// same kernels; only the module loading differs.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { BackendWasm, getThreadsCount, setThreadsCount, version_wasm } from '@tensorflow/tfjs-backend-wasm';

const require = createRequire(import.meta.url);
const WASM_PKG = '@tensorflow/tfjs-backend-wasm';
const GLUE = `${WASM_PKG}/wasm-out/tfjs-backend-wasm-threaded-simd.js`;
const WORKER = `${WASM_PKG}/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js`;
/** The glue pre-spawns 8 pthread workers (tfjs cc/BUILD) and the C++ side caps the pool at 8. */
export const MAX_WASM_THREADS = 8;

/** What loading the wasm backend gave. */
export interface WasmLoadResult {
  /** Threads in the XNNPACK pool (getThreadsCount()). */
  readonly threads: number;
  /** True when the threaded SIMD build is in use. */
  readonly threaded: boolean;
  /** Why the threaded build is not in use, or null when it is. */
  readonly fallbackReason: string | null;
}

type GlueFactory = (config: Record<string, unknown>) => Promise<GlueModule>;
interface GlueModule {
  cwrap: (name: string, ret: string | null, args: string[]) => (...a: number[]) => number;
  PThread?: { runningWorkers: Array<{ unref(): void }> };
  tfjs?: unknown;
}

let loaded: Promise<WasmLoadResult> | null = null;

/**
 * Makes `tf.setBackend('wasm')` start the threaded SIMD build with `threads` XNNPACK threads, sets the
 * backend and returns what it got. When threads cannot be had (no SharedArrayBuffer, no SIMD, an
 * unwritable temp folder, a failed start), the stock single-threaded factory is put back and the
 * reason is returned. Once the wasm backend has started, later calls return the first result.
 */
export function loadWasmBackend(threads: number): Promise<WasmLoadResult> {
  if (!Number.isInteger(threads) || threads < 1)
    throw new RangeError(`loadWasmBackend: threads must be an integer >= 1, got ${threads}`);
  loaded ??= load(Math.min(threads, MAX_WASM_THREADS));
  return loaded;
}

async function load(threads: number): Promise<WasmLoadResult> {
  if (tf.findBackend('wasm') != null) {
    // Someone started wasm before us: keep it rather than dispose their tensors.
    await tf.setBackend('wasm');
    return {
      threads: getThreadsCount(),
      threaded: false,
      fallbackReason: 'the wasm backend was started before voxlab could configure its threads',
    };
  }
  const stock = tf.findBackendFactory('wasm');
  const blocker = await threadedBuildBlocker();
  if (blocker == null && threads > 1) {
    const failure: { error?: unknown } = {};
    try {
      swapFactory(threadedFactory(threads, failure));
      if (await tf.setBackend('wasm')) {
        unrefPoolWorkers();
        return { threads: getThreadsCount(), threaded: true, fallbackReason: null };
      }
      // tfjs turns a failed factory into `false` plus a console warning; the factory kept the cause.
      throw failure.error ?? new Error('tf.setBackend("wasm") returned false');
    } catch (err) {
      if (stock == null) throw err;
      swapFactory(stock);
      return stockResult(`the threaded wasm build failed to start: ${firstLine(err)}`);
    }
  }
  return stockResult(blocker ?? 'one thread was asked for');
}

async function stockResult(reason: string): Promise<WasmLoadResult> {
  if (!(await tf.setBackend('wasm')))
    throw new Error('loadWasmBackend: the stock wasm backend failed to start');
  return { threads: getThreadsCount(), threaded: false, fallbackReason: reason };
}

/** Why the threaded SIMD build cannot run here, or null when it can. */
async function threadedBuildBlocker(): Promise<string | null> {
  if (typeof SharedArrayBuffer === 'undefined') return 'this runtime has no SharedArrayBuffer';
  if (!(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'))) return 'this runtime has no WebAssembly SIMD';
  return null;
}

function swapFactory(factory: () => tf.KernelBackend | Promise<tf.KernelBackend>): void {
  if (tf.findBackendFactory('wasm') != null) tf.removeBackend('wasm');
  // Priority 2, as the stock registration.
  tf.registerBackend('wasm', factory, 2);
}

function threadedFactory(threads: number, failure: { error?: unknown }): () => Promise<tf.KernelBackend> {
  return () =>
    startThreaded(threads).catch((err: unknown) => {
      failure.error = err;
      throw err;
    });
}

async function startThreaded(threads: number): Promise<tf.KernelBackend> {
  const gluePath = require.resolve(GLUE);
  const glue = require(gluePath) as GlueFactory;
  const workerPath = writeWorkerScript();
  const wasmBinary = readFileSync(join(dirname(gluePath), 'tfjs-backend-wasm-threaded-simd.wasm'));
  const module = await instantiate(glue, workerPath, wasmBinary, threads);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  setThreadsCount(threads);
  // The constructor calls init_with_threads_count(threads); the C++ caps it at logical cores / 2.
  return new BackendWasm(module as unknown as ConstructorParameters<typeof BackendWasm>[0]);
}

function instantiate(
  glue: GlueFactory,
  workerPath: string,
  wasmBinary: Buffer,
  threads: number,
): Promise<GlueModule> {
  return new Promise<GlueModule>((resolve, reject) => {
    const config = {
      // Only the worker is redirected; the glue file itself is what each worker imports (_scriptDir).
      locateFile: (path: string, prefix: string) =>
        path.endsWith('.worker.js') ? workerPath : prefix + path,
      instantiateWasm: (
        info: { env: Record<string, unknown> },
        receive: (instance: unknown, module: unknown) => void,
      ) => {
        info.env = { ...info.env, emscripten_num_logical_cores: () => 2 * threads };
        wasmApi()
          .instantiate(wasmBinary, info)
          .then((r) => receive(r.instance, r.module), reject);
        return {};
      },
      onAbort: (what: unknown) => reject(new Error(`wasm aborted: ${String(what)}`)),
    };
    glue(config).then((module) => {
      module.tfjs = tfjsBridge(module);
      resolve(module);
    }, reject);
  });
}

/** What we use of the WebAssembly global (our TS lib set has no DOM types to describe it). */
interface WasmApi {
  instantiate(bytes: Uint8Array, imports: unknown): Promise<{ instance: unknown; module: unknown }>;
}

function wasmApi(): WasmApi {
  return (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
}

/** The same C bridge tfjs's own init() builds (backend_wasm.js). */
function tfjsBridge(module: GlueModule): unknown {
  return {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
}

/**
 * Writes the pthread worker script to the temp folder (once per content) and returns its path. The
 * package ships it as a JS string; its "\n" escapes must survive, as tfjs's blob path also ensures.
 */
function writeWorkerScript(): string {
  const { wasmWorkerContents } = require(WORKER) as { wasmWorkerContents: string };
  const text = wasmWorkerContents.replace(/\n/g, '\\n');
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 12);
  const path = join(tmpdir(), `voxlab-tfjs-wasm-${version_wasm}-${hash}.worker.cjs`);
  if (!existsSync(path)) {
    // Write then rename, so a concurrent process never starts a half-written file.
    const partial = `${path}.${process.pid}.partial`;
    writeFileSync(partial, text);
    renameSync(partial, path);
  }
  return path;
}

/**
 * The pool's threads keep their Node workers referenced, which would keep the process alive after
 * its work ends; they hold no work of their own between kernels, so let the process exit.
 */
function unrefPoolWorkers(): void {
  const backend = tf.findBackend('wasm') as unknown as { wasm: GlueModule } | null;
  for (const worker of backend?.wasm.PThread?.runningWorkers ?? []) worker.unref();
}

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0] ?? message;
}
