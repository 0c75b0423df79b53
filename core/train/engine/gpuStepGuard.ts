// A training step on the webgpu backend, guarded (issue #12, "Memory": a clear error, not a crash, when
// the GPU runs out, with the batch size that fits).
//
// A buffer the GPU could not allocate is handed out anyway and computes nothing (see
// core/backend/webgpu/gpuMemory.ts), so a step that ran out of memory produced garbage gradients and may
// have assigned garbage BatchNorm running stats. The guard opens the device's error scopes before the step,
// snapshots the running stats, and is checked after the gradients and before the optimizer: a failed step
// restores the stats and applies nothing, so the model is exactly as before it.

import * as tf from '@tensorflow/tfjs-core';
import { emptyGpuPool, gpuErrorScope, gpuMemory, installPoolBound, resetGpuMemoryPeak } from '../../backend/webgpu/gpuMemory.js';
import { VoxlabError } from '../../common/errors.js';
import type { TfModel } from '../../model/index.js';

/** What the device reported for a guarded step. */
export interface GpuStepFailure {
  readonly kind: 'out-of-memory' | 'validation';
  readonly message: string;
}

/** An armed guard: check() must be called exactly once. */
export interface GpuStepGuard {
  /**
   * Closes the scopes and returns the device's failure, or null. Puts the running stats back as they were
   * when the guard was armed on a failure, or always with `restore: 'always'` (a probe).
   */
  check(options?: { readonly restore?: 'on-failure' | 'always' }): Promise<GpuStepFailure | null>;
}

/** Arms a guard around work on `model`, or returns null when webgpu is not the active backend. */
export function openGpuStepGuard(model: TfModel): GpuStepGuard | null {
  installPoolBound();
  const scope = gpuErrorScope();
  if (scope === null) return null;
  const buffers = model.stateKeys.filter((k) => model.entry(k).kind !== 'parameter');
  const counters = buffers.filter((k) => model.entry(k).dtype === 'I64');
  const saved = buffers.filter((k) => model.entry(k).dtype !== 'I64').map((k) => ({ key: k, value: tf.clone(model.variable(k)) }));
  const tracked = counters.map((k) => ({ key: k, n: model.numBatchesTracked(k) }));
  return {
    async check(options = {}) {
      const errors = await scope.close();
      const failure: GpuStepFailure | null =
        errors.outOfMemory !== null
          ? { kind: 'out-of-memory', message: errors.outOfMemory }
          : errors.validation !== null
            ? { kind: 'validation', message: errors.validation }
            : null;
      if (failure !== null || options.restore === 'always')
      {
        for (const s of saved) model.variable(s.key).assign(s.value);
        for (const t of tracked) model.setNumBatchesTracked(t.key, t.n);
      }
      tf.dispose(saved.map((s) => s.value));
      return failure;
    },
  };
}

/** Runs `work` at `batch` (producing tensors it disposes itself) under a guard; true when the GPU managed. */
export type BatchProbe = (batch: number) => Promise<boolean>;

/**
 * The error for a step that failed on the GPU at `batch`: after emptying the buffer pool, halves the batch
 * until `probe` succeeds, and names that batch (0 when even one image does not fit). Its details carry
 * batch, batchThatFits, peakMb (GPU memory of the batch that fitted) and the device's message.
 */
export async function gpuStepError(failure: GpuStepFailure, batch: number, probe: BatchProbe): Promise<VoxlabError> {
  emptyGpuPool();
  let fits = 0;
  let peakMb: number | null = null;
  for (let b = Math.floor(batch / 2); b >= 1; b = Math.floor(b / 2)) {
    resetGpuMemoryPeak();
    const ok = await probe(b);
    emptyGpuPool();
    if (ok) {
      fits = b;
      const memory = gpuMemory();
      peakMb = memory === null ? null : Math.round(memory.peakAllocatedBytes / 2 ** 20);
      break;
    }
  }
  const details = { batch, batchThatFits: fits, peakMb, device: failure.message.split('\n')[0] ?? '' };
  const advice =
    fits > 0
      ? `A batch of ${fits} fits${peakMb !== null ? ` (it took ${peakMb} MB of GPU memory)` : ''}: train with --batch ${fits}.`
      : failure.kind === 'out-of-memory'
        ? 'Even one image does not fit: train on the CPU (--backend wasm) or with a smaller input size.'
        : 'Smaller batches fail too, so this is a driver or voxlab problem, not memory: train on the CPU (--backend wasm) and report it.';
  if (failure.kind === 'out-of-memory')
    return new VoxlabError(
      'GPU_OUT_OF_MEMORY',
      `The GPU ran out of memory for a training batch of ${batch}. ${advice} The failed step changed nothing in the model.`,
      details,
    );
  return new VoxlabError(
    'GPU_ERROR',
    `The GPU refused a training step at batch ${batch} (${details.device}). ${advice} The failed step changed nothing in the model.`,
    details,
  );
}
