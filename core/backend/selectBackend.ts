// Chooses the TensorFlow.js backend at run time and says why (issue #3, "Backends"): tfjs-node-gpu
// (CUDA) → tfjs-node → wasm (threads = cores, our XNNPACK Conv3D kernels) → cpu. The native packages
// are optional; each candidate that is not used carries the reason, for `voxlab doctor`.

import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
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
import { loadWasmBackend } from './wasmThreaded.js';

export type BackendPreference = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
export type CandidateName = NativeName | 'wasm' | 'cpu';

export interface BackendOptions {
  /** 'auto' (default): the fastest that works. Others are tried first, then the rest in order. */
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
  /** The tfjs backend now active: 'tensorflow' (tfjs-node or tfjs-node-gpu), 'wasm' or 'cpu'. */
  readonly backend: 'tensorflow' | 'wasm' | 'cpu';
  /** Compute threads: the wasm XNNPACK pool size, 1 for cpu, cores for TensorFlow. */
  readonly threads: number;
  /** True when the backend runs SIMD code (wasm SIMD, or native TensorFlow). */
  readonly simd: boolean;
  readonly versions: Readonly<Record<string, string>>;
  /** Every candidate, fastest first. */
  readonly candidates: readonly BackendCandidate[];
  readonly gpu: { readonly cuda: boolean; readonly detail: string };
}

const ORDER: readonly CandidateName[] = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'];

interface Attempt {
  readonly candidate: BackendCandidate;
  readonly threads?: number;
  readonly version?: string;
}

/**
 * Activates a backend (tf.setBackend) and reports the choice. Also registers our wasm Conv3D kernels.
 * Throws only if not even the cpu backend starts.
 */
export async function initBackend(options: BackendOptions = {}): Promise<BackendReport> {
  const prefer = options.prefer ?? 'auto';
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
  const attempts: Attempt[] = [];
  let chosen: Attempt | null = null;
  for (const name of tryOrder(prefer)) {
    const attempt: Attempt =
      chosen == null
        ? await tryCandidate(name, threads)
        : notTried(name, `not needed: ${chosen.candidate.name} was chosen first`);
    attempts.push(attempt);
    if (attempt.version != null) versions[name] = attempt.version;
    if (chosen == null && attempt.candidate.available) chosen = attempt;
  }
  if (chosen == null)
    throw new Error(`initBackend: no backend started: ${attempts.map((a) => a.candidate.reason).join('; ')}`);
  const backend =
    chosen.candidate.name === 'wasm' ? 'wasm' : chosen.candidate.name === 'cpu' ? 'cpu' : 'tensorflow';
  return {
    backend,
    threads: chosen.threads ?? 1,
    simd:
      backend === 'tensorflow' ||
      (backend === 'wasm' && (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true),
    versions,
    candidates: ORDER.map((name) => attempts.find((a) => a.candidate.name === name)!.candidate),
    gpu: gpuReport(chosen.candidate.name),
  };
}

/** The preferred candidates first, then the rest in speed order. */
function tryOrder(prefer: BackendPreference): CandidateName[] {
  const first: CandidateName[] =
    prefer === 'tensorflow' ? ['tfjs-node-gpu', 'tfjs-node'] : prefer === 'auto' ? [] : [prefer];
  return [...first, ...ORDER.filter((n) => !first.includes(n))];
}

async function tryCandidate(name: CandidateName, threads: number): Promise<Attempt> {
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
    const how =
      got.fallbackReason == null
        ? `threaded SIMD build, ${got.threads} thread(s)`
        : `${got.threads} thread(s): ${got.fallbackReason}`;
    return {
      candidate: { name, available: true, reason: `XNNPACK with voxlab's Conv3D kernels, ${how}` },
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
