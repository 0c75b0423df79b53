// Chooses the TensorFlow.js backend at run time and says why (issues #3 and #12): WebGPU on a hardware
// adapter (Dawn: Vulkan, Metal, Direct3D 12) → tfjs-node-gpu (CUDA) → tfjs-node → wasm (threads = cores,
// our XNNPACK Conv3D kernels) → cpu. A software WebGPU adapter (SwiftShader, llvmpipe) is used only when
// asked for. The native packages are optional; each candidate that is not used carries the reason, for
// `voxlab doctor`.

import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { VoxlabError } from '../common/errors.js';
import { version_cpu } from '@tensorflow/tfjs-backend-cpu';
import { version_wasm } from '@tensorflow/tfjs-backend-wasm';
import {
  importNative,
  isNativeInstalled,
  NATIVE_PACKAGES,
  probeNvidiaDriver,
  type NativeName,
} from './nativeTfjs.js';
import { registerWasmConv3dKernels } from './registerWasmConv3d.js';
import { nativeKernels, nativeKernelSettings, nativeKernelsUnavailable } from './nativeKernels.js';
import { loadWasmBackend } from './wasmThreaded.js';
import type { AdapterDescription } from './webgpu/describeAdapter.js';
import { dawnVersion } from './webgpu/dawn.js';
import { BACKEND_ENV, webgpuDetail } from './webgpu/gpuAdvice.js';
import { tryWebgpu } from './webgpu/tryWebgpu.js';

export const BACKEND_PREFERENCES = ['auto', 'webgpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendPreference = (typeof BACKEND_PREFERENCES)[number];
export type CandidateName = 'webgpu' | NativeName | 'wasm' | 'cpu';

export interface BackendOptions {
  /**
   * 'auto' (default): the fastest that works, or what the VOXLAB_BACKEND environment variable names.
   * Others are tried first, then the rest in order ('webgpu' also takes a software adapter).
   */
  readonly prefer?: BackendPreference;
  /** wasm thread-pool size; default os.availableParallelism(). */
  readonly threads?: number;
}

export interface BackendCandidate {
  readonly name: CandidateName;
  /** True when it could run here (for the chosen one: it runs). */
  readonly available: boolean;
  /** Why it was chosen, or why not, in words. */
  readonly reason: string;
}

/** What initBackend chose, printed by `voxlab doctor`. */
export interface BackendReport {
  /** The tfjs backend now active: 'webgpu', 'tensorflow' (tfjs-node or tfjs-node-gpu), 'wasm' or 'cpu'. */
  readonly backend: 'webgpu' | 'tensorflow' | 'wasm' | 'cpu';
  /** Compute threads: the wasm XNNPACK pool size, 1 for cpu and webgpu, cores for TensorFlow. */
  readonly threads: number;
  /** True when the backend runs SIMD code (wasm SIMD, or native TensorFlow). */
  readonly simd: boolean;
  readonly versions: Readonly<Record<string, string>>;
  /** Every candidate, fastest first. */
  readonly candidates: readonly BackendCandidate[];
  readonly gpu: { readonly cuda: boolean; readonly detail: string };
  /** The WebGPU adapter (null when none was found or webgpu was not probed), and what to do for a GPU. */
  readonly webgpu: {
    readonly adapter: AdapterDescription | null;
    readonly inUse: boolean;
    readonly detail: string;
  };
}

const ORDER: readonly CandidateName[] = ['webgpu', 'tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'];

interface Attempt {
  readonly candidate: BackendCandidate;
  /** False for a candidate that could run but is passed over (a software WebGPU adapter under 'auto'). */
  readonly eligible?: boolean;
  readonly threads?: number;
  readonly version?: string;
  readonly adapter?: AdapterDescription | null;
}

/**
 * Activates a backend (tf.setBackend) and reports the choice. Also registers our wasm Conv3D kernels.
 * Throws only if not even the cpu backend starts.
 */
export async function initBackend(options: BackendOptions = {}): Promise<BackendReport> {
  const prefer = resolvePreference(options.prefer ?? 'auto');
  const threads = options.threads ?? availableParallelism();
  if (!Number.isInteger(threads) || threads < 1)
    throw new RangeError(`initBackend: threads must be an integer >= 1, got ${threads}`);
  registerWasmConv3dKernels();
  const versions: Record<string, string> = {
    node: process.versions.node,
    'tfjs-core': tf.version_core,
    'tfjs-backend-wasm': version_wasm,
    'tfjs-backend-cpu': version_cpu,
  };
  const dawn = dawnVersion();
  if (dawn !== null) versions.webgpu = dawn;
  const attempts: Attempt[] = [];
  let chosen: Attempt | null = null;
  for (const name of tryOrder(prefer)) {
    const attempt: Attempt =
      chosen == null
        ? await tryCandidate(name, threads, prefer === name)
        : notTried(name, `not needed: ${chosen.candidate.name} was chosen first`);
    attempts.push(attempt);
    if (attempt.version != null) versions[name === 'webgpu' ? 'tfjs-backend-webgpu' : name] = attempt.version;
    if (chosen == null && attempt.candidate.available && attempt.eligible !== false) chosen = attempt;
  }
  if (chosen == null)
    throw new Error(`initBackend: no backend started: ${attempts.map((a) => a.candidate.reason).join('; ')}`);
  const { name } = chosen.candidate;
  const backend = name === 'webgpu' || name === 'wasm' || name === 'cpu' ? name : 'tensorflow';
  const webgpu = attempts.find((a) => a.candidate.name === 'webgpu')!;
  return {
    backend,
    threads: chosen.threads ?? 1,
    simd:
      backend === 'tensorflow' ||
      (backend === 'wasm' && (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true),
    versions,
    candidates: ORDER.map((name) => attempts.find((a) => a.candidate.name === name)!.candidate),
    gpu: gpuReport(chosen.candidate.name),
    webgpu: {
      adapter: webgpu.adapter ?? null,
      inUse: backend === 'webgpu',
      detail: webgpuDetail(webgpu.adapter ?? null, backend === 'webgpu', process.platform, webgpu.candidate.reason),
    },
  };
}

/** 'auto' becomes what VOXLAB_BACKEND names, when it is set; throws BAD_ARGUMENT for a bad value. */
function resolvePreference(prefer: BackendPreference): BackendPreference {
  const env = process.env[BACKEND_ENV];
  if (prefer !== 'auto' || env === undefined || env === '') return prefer;
  if (!(BACKEND_PREFERENCES as readonly string[]).includes(env))
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `initBackend: ${BACKEND_ENV} must be one of ${BACKEND_PREFERENCES.join(', ')}, got '${env}'`,
    );
  return env as BackendPreference;
}

/** The preferred candidates first, then the rest in speed order. */
function tryOrder(prefer: BackendPreference): CandidateName[] {
  const first: CandidateName[] =
    prefer === 'tensorflow' ? ['tfjs-node-gpu', 'tfjs-node'] : prefer === 'auto' ? [] : [prefer];
  return [...first, ...ORDER.filter((n) => !first.includes(n))];
}

async function tryCandidate(name: CandidateName, threads: number, asked: boolean): Promise<Attempt> {
  if (name === 'webgpu') {
    const got = await tryWebgpu(asked);
    return {
      candidate: { name, available: got.available, reason: got.reason },
      eligible: got.started,
      threads: 1,
      adapter: got.adapter,
      ...(got.version !== undefined ? { version: got.version } : {}),
    };
  }
  if (name === 'cpu') {
    const ok = await tf.setBackend('cpu');
    return {
      candidate: {
        name,
        available: ok,
        reason: ok ? 'plain JavaScript, slowest (conv3d ~0.7 GFLOP/s)' : 'the cpu backend failed to start',
      },
      threads: 1,
    };
  }
  if (name === 'wasm') {
    const got = await loadWasmBackend(threads);
    // Our kernels' native products and convolutions (nativeKernels.ts) use as many threads as the wasm pool.
    nativeKernelSettings.threads = got.threads;
    const how =
      got.fallbackReason == null
        ? `threaded SIMD build, ${got.threads} thread(s)`
        : `${got.threads} thread(s): ${got.fallbackReason}`;
    // Say where training's heavy products run (voxlab doctor): ONNX Runtime's MLAS, or why not.
    const native =
      nativeKernels() !== null
        ? "heavy products and stride-1 convolutions on ONNX Runtime's native CPU kernels (MLAS)"
        : `XNNPACK only (native kernels: ${nativeKernelsUnavailable() ?? 'not available'})`;
    return {
      candidate: { name, available: true, reason: `XNNPACK with voxlab's Conv3D kernels, ${how}; ${native}` },
      threads: got.threads,
    };
  }
  const loaded = await importNative(name);
  if (!loaded.ok) return { candidate: { name, available: false, reason: loaded.reason } };
  if (!(await tf.setBackend('tensorflow'))) {
    return {
      candidate: {
        name,
        available: false,
        reason: `${NATIVE_PACKAGES[name].pkg} loaded but its 'tensorflow' backend failed to start`,
      },
    };
  }
  return {
    candidate: {
      name,
      available: true,
      reason: `native TensorFlow (${NATIVE_PACKAGES[name].pkg} ${loaded.version})`,
    },
    threads: availableParallelism(),
    version: loaded.version,
  };
}

/** A candidate after the chosen one: report whether it is there without loading it. */
function notTried(name: CandidateName, why: string): Attempt {
  if (name === 'webgpu')
    return { candidate: { name, available: false, reason: `adapter not probed: ${why}` }, adapter: null };
  if (name === 'wasm' || name === 'cpu') return { candidate: { name, available: true, reason: why } };
  const installed = isNativeInstalled(name);
  const { pkg, needs } = NATIVE_PACKAGES[name];
  return {
    candidate: {
      name,
      available: installed,
      reason: installed
        ? `${why} (${pkg} is installed)`
        : `${pkg} is not installed (npm install ${pkg}; needs ${needs})`,
    },
  };
}

function gpuReport(chosen: CandidateName): BackendReport['gpu'] {
  const driver = probeNvidiaDriver();
  if (chosen === 'tfjs-node-gpu') {
    return {
      cuda: driver.present,
      detail: driver.present
        ? `tfjs-node-gpu on ${driver.detail}`
        : `tfjs-node-gpu loaded but ${driver.detail}: TensorFlow runs on the CPU`,
    };
  }
  const hint = `for the GPU path: an NVIDIA GPU, CUDA 11.2, cuDNN 8.1 and npm install ${NATIVE_PACKAGES['tfjs-node-gpu'].pkg}`;
  return {
    cuda: false,
    detail: driver.present
      ? `${driver.detail}, but tfjs-node-gpu is not in use; ${hint}`
      : `${driver.detail}; ${hint}`,
  };
}
