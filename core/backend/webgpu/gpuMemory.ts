// GPU memory of tfjs's webgpu backend (issue #12, "Memory"): what it holds, a bounded pool of free
// buffers, and the device's out-of-memory errors caught around a unit of work.
//
// tfjs-backend-webgpu's BufferManager keeps every released buffer in a free list keyed by exact size and
// usage, and never destroys one (tfjs-backend-webgpu 4.22 src/buffer_manager.ts). A DenseNet allocates
// hundreds of distinct sizes (each concat grows by 32 channels), so the pool grows to many times the
// tensors alive at once. installPoolBound caps it: before the manager creates a new buffer, free buffers
// beyond the cap are destroyed. WebGPU reports a failed allocation only as a GPUOutOfMemoryError in an
// error scope (WebGPU spec, "Errors & Debugging"): the buffer object is returned anyway, holds nothing,
// and every kernel that uses it computes nothing. gpuErrorScope turns that into a result callers check
// before they use what the work produced.
//
// This module touches only the backend object tfjs hands out (tf.backend()); it loads no GPU package.

import * as tf from '@tensorflow/tfjs-core';

/** The part of tfjs-backend-webgpu's BufferManager we account and bound (public fields in 4.22). */
interface BufferManagerLike {
  acquireBuffer(size: number, usage: number, mappedAtCreation?: boolean, reuse?: boolean): GPUBuffer;
  numBytesUsed: number;
  numBytesAllocated: number;
  numFreeBuffers: number;
  freeBuffers: Map<string, GPUBuffer[]>;
}

interface WebgpuBackendLike {
  readonly bufferManager: BufferManagerLike;
  readonly device: GPUDevice;
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
}

/** Bytes of GPU buffers the backend holds, and the peaks since the last resetGpuMemoryPeak. */
export interface GpuMemory {
  /** Bytes in buffers that hold tensors (or wait for the queue before release). */
  readonly usedBytes: number;
  /** Bytes in every buffer created and not destroyed: used plus the free pool. */
  readonly allocatedBytes: number;
  readonly peakUsedBytes: number;
  readonly peakAllocatedBytes: number;
  /** The free pool's cap, bytes. */
  readonly poolCapBytes: number;
  /** The budget (setGpuMemoryBudget), bytes; Infinity without one. */
  readonly budgetBytes: number;
}

/** Default cap of the free pool: 256 MiB, a few of the largest DenseNet-at-96³ activations. */
export const DEFAULT_POOL_CAP_BYTES = 256 * 2 ** 20;

interface Accounting {
  poolCapBytes: number;
  peakUsedBytes: number;
  peakAllocatedBytes: number;
  /** Bytes of tensors the work may hold at once (setGpuMemoryBudget), Infinity without a budget. */
  budgetBytes: number;
  /** Set when an allocation took the used bytes over the budget; read and cleared by gpuErrorScope. */
  overBudget: string | null;
}

/**
 * The budget from VOXLAB_GPU_MEMORY_MB (MiB), or Infinity. WebGPU does not say how much memory a GPU has
 * (its limits bound one buffer, not the sum), so a user sharing a GPU sets what voxlab may take.
 */
function budgetFromEnv(): number {
  const mb = Number(process.env.VOXLAB_GPU_MEMORY_MB);
  return Number.isFinite(mb) && mb > 0 ? mb * 2 ** 20 : Number.POSITIVE_INFINITY;
}

const accounting = new WeakMap<object, Accounting>();

/** The active backend when it is tfjs's webgpu backend, else null. */
function webgpuBackend(): WebgpuBackendLike | null {
  if (tf.getBackend() !== 'webgpu') return null;
  const backend = tf.backend() as unknown as Partial<WebgpuBackendLike>;
  const manager = backend.bufferManager;
  if (manager === undefined || backend.device === undefined || typeof manager.acquireBuffer !== 'function') return null;
  return backend as WebgpuBackendLike;
}

/**
 * Wraps the backend's BufferManager (once per backend): tracks peak used and allocated bytes, and before
 * a new buffer is created destroys free buffers while the pool exceeds `poolCapBytes`. Results are
 * unchanged: a destroyed free buffer held no tensor. No-op when webgpu is not the active backend.
 */
export function installPoolBound(poolCapBytes = DEFAULT_POOL_CAP_BYTES): void {
  const backend = webgpuBackend();
  if (backend === null) return;
  const manager = backend.bufferManager;
  const existing = accounting.get(manager);
  if (existing !== undefined) {
    existing.poolCapBytes = poolCapBytes;
    return;
  }
  const state: Accounting = {
    poolCapBytes,
    peakUsedBytes: manager.numBytesUsed,
    peakAllocatedBytes: manager.numBytesAllocated,
    budgetBytes: budgetFromEnv(),
    overBudget: null,
  };
  accounting.set(manager, state);
  const acquire = manager.acquireBuffer.bind(manager);
  manager.acquireBuffer = (size, usage, mappedAtCreation = false, reuse = true) => {
    const pooled = reuse && (manager.freeBuffers.get(`${size}_${usage}`)?.length ?? 0) > 0;
    if (!pooled) trimPool(manager, Math.max(0, state.poolCapBytes - size));
    const buffer = acquire(size, usage, mappedAtCreation, reuse);
    if (manager.numBytesUsed > state.budgetBytes && state.overBudget === null)
      state.overBudget = `${mib(manager.numBytesUsed)} MB of tensors exceed the GPU memory budget of ${mib(state.budgetBytes)} MB (VOXLAB_GPU_MEMORY_MB)`;
    state.peakUsedBytes = Math.max(state.peakUsedBytes, manager.numBytesUsed);
    state.peakAllocatedBytes = Math.max(state.peakAllocatedBytes, manager.numBytesAllocated);
    return buffer;
  };
}

/**
 * Destroys free buffers, largest first, until the pool holds at most `keepBytes`. Keeps the manager's
 * map keys (its releaseBuffer treats an empty map as "disposed") and its counters true.
 */
function trimPool(manager: BufferManagerLike, keepBytes: number): void {
  let pooled = manager.numBytesAllocated - manager.numBytesUsed;
  if (pooled <= keepBytes) return;
  const lists = [...manager.freeBuffers.values()].filter((l) => l.length > 0);
  lists.sort((a, b) => b[0]!.size - a[0]!.size);
  for (const list of lists) {
    while (list.length > 0 && pooled > keepBytes) {
      const buffer = list.pop()!;
      pooled -= buffer.size;
      manager.numBytesAllocated -= buffer.size;
      manager.numFreeBuffers--;
      buffer.destroy();
    }
    if (pooled <= keepBytes) return;
  }
}

function mib(bytes: number): number {
  return Math.round(bytes / 2 ** 20);
}

/**
 * Sets the bytes of tensors work on the GPU may hold at once (Infinity: no budget; the default is
 * VOXLAB_GPU_MEMORY_MB). Going over it is reported by gpuErrorScope as out of memory, like the device's own
 * failure. No-op when webgpu is not the active backend.
 */
export function setGpuMemoryBudget(bytes: number): void {
  installPoolBound();
  const backend = webgpuBackend();
  const state = backend === null ? undefined : accounting.get(backend.bufferManager);
  if (state !== undefined) state.budgetBytes = bytes > 0 ? bytes : Number.POSITIVE_INFINITY;
}

/** Destroys every free buffer of the webgpu backend (after an out-of-memory error). No-op elsewhere. */
export function emptyGpuPool(): void {
  const backend = webgpuBackend();
  if (backend !== null) trimPool(backend.bufferManager, 0);
}

/** The webgpu backend's memory, or null when webgpu is not the active backend. */
export function gpuMemory(): GpuMemory | null {
  const backend = webgpuBackend();
  if (backend === null) return null;
  const manager = backend.bufferManager;
  const state = accounting.get(manager);
  return {
    usedBytes: manager.numBytesUsed,
    allocatedBytes: manager.numBytesAllocated,
    peakUsedBytes: Math.max(state?.peakUsedBytes ?? 0, manager.numBytesUsed),
    peakAllocatedBytes: Math.max(state?.peakAllocatedBytes ?? 0, manager.numBytesAllocated),
    poolCapBytes: state?.poolCapBytes ?? Number.POSITIVE_INFINITY,
    budgetBytes: state?.budgetBytes ?? Number.POSITIVE_INFINITY,
  };
}

/** Starts the peaks of gpuMemory() again from the current figures. */
export function resetGpuMemoryPeak(): void {
  const backend = webgpuBackend();
  const state = backend === null ? undefined : accounting.get(backend.bufferManager);
  if (backend === null || state === undefined) return;
  state.peakUsedBytes = backend.bufferManager.numBytesUsed;
  state.peakAllocatedBytes = backend.bufferManager.numBytesAllocated;
}

/**
 * Errors the device raised inside a scope: the first out-of-memory (or the budget exceeded) and the first
 * validation error.
 */
export interface GpuScopeErrors {
  readonly outOfMemory: string | null;
  readonly validation: string | null;
}

/** An open pair of error scopes on the webgpu device; close() must be called exactly once. */
export interface GpuErrorScope {
  /** Submits queued work, pops both scopes and says what the device reported in between. */
  close(): Promise<GpuScopeErrors>;
}

/**
 * Opens an out-of-memory and a validation error scope on the webgpu device, or returns null when webgpu
 * is not the active backend. Scopes belong to the device, not to a caller: work from elsewhere on the
 * same device in the meantime is caught too (in voxlab, one training or inference runs per process).
 */
export function gpuErrorScope(): GpuErrorScope | null {
  const backend = webgpuBackend();
  if (backend === null) return null;
  const device = backend.device;
  const state = accounting.get(backend.bufferManager);
  if (state !== undefined) state.overBudget = null;
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  return {
    async close() {
      // tfjs batches dispatches in an open compute pass; end and submit it (as its getBufferData does) so
      // that their errors land in these scopes.
      backend.ensureCommandEncoderReady();
      backend.endComputePassEncoder();
      backend.submitQueue();
      const validation = await device.popErrorScope();
      const outOfMemory = await device.popErrorScope();
      const overBudget = state?.overBudget ?? null;
      if (state !== undefined) state.overBudget = null;
      return { outOfMemory: outOfMemory?.message ?? overBudget, validation: validation?.message ?? null };
    },
  };
}
