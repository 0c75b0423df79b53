// Starts TensorFlow.js's WebGPU backend (@tensorflow/tfjs-backend-webgpu: Conv3D, its two gradients,
// 3D pooling and their gradients as WGSL) on the adapter dawn.ts found (issue #12), with our tiled Conv3D
// and its gradients (kernels/conv3d.ts) in place of its naive ones. The package registers its own 'webgpu'
// factory at import when navigator.gpu exists, and its backend refuses to construct when it does not; so we
// import it first, then set navigator.gpu to Dawn's GPU, and register the only factory, which opens the
// device on OUR adapter with the adapter's full limits.

import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import { dawnGpu, type AdapterProbe } from './dawn.js';
import { registerWebgpuColumnSum } from './kernels/columnSum.js';
import { registerWebgpuConv3dKernels } from './kernels/conv3d.js';
import { registerWebgpuPadRank5 } from './padRank5.js';

const require = createRequire(import.meta.url);

/** What starting the backend gave: the tfjs-backend-webgpu version, or why it did not start. */
export type WebgpuStart =
  | { readonly ok: true; readonly version: string }
  | { readonly ok: false; readonly reason: string };

let registered: Promise<string> | null = null;
const deviceErrors: string[] = [];

/**
 * Validation and out-of-memory errors the device reported that no one caught (tfjs pushes no error scopes),
 * oldest first. A kernel whose shader or buffers the device rejected computes nothing: its tensors hold
 * stale memory, so any entry here makes every result since then suspect.
 */
export function webgpuDeviceErrors(): readonly string[] {
  return deviceErrors;
}

/**
 * Makes 'webgpu' the active tfjs backend on `probe`'s adapter (tf.setBackend). The device is opened once
 * per process; later calls switch back to it. Never throws.
 */
export async function startWebgpuBackend(probe: AdapterProbe & { ok: true }): Promise<WebgpuStart> {
  let version: string;
  try {
    registered ??= registerOn(probe.adapter);
    version = await registered;
  } catch (e) {
    registered = null;
    return { ok: false, reason: `@tensorflow/tfjs-backend-webgpu did not load: ${firstLine(e)}` };
  }
  try {
    if (!(await tf.setBackend('webgpu')))
      return { ok: false, reason: 'the tfjs webgpu backend failed to start (no device on the adapter)' };
    await tf.ready();
    return { ok: true, version };
  } catch (e) {
    return { ok: false, reason: `the tfjs webgpu backend failed to start: ${firstLine(e)}` };
  }
}

/** Imports tfjs-backend-webgpu (its kernels register for 'webgpu') and registers our factory. */
async function registerOn(adapter: GPUAdapter): Promise<string> {
  const webgpu = await import('@tensorflow/tfjs-backend-webgpu');
  registerWebgpuPadRank5();
  registerWebgpuConv3dKernels();
  registerWebgpuColumnSum();
  exposeNavigatorGpu();
  // The limits tfjs's own factory asks for: the adapter's, so that big tensors fit where the GPU allows.
  const limits = adapter.limits;
  const requiredLimits: Record<string, number> = {
    maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
    maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
    maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
    maxBufferSize: limits.maxBufferSize,
    maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
    maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
  };
  const requiredFeatures: GPUFeatureName[] = adapter.features.has('timestamp-query') ? ['timestamp-query'] : [];
  // Priority 0: tfjs never picks it on its own; initBackend chooses it explicitly.
  tf.registerBackend(
    'webgpu',
    async () => {
      const device = await adapter.requestDevice({ requiredLimits, requiredFeatures });
      device.onuncapturederror = (event) => {
        deviceErrors.push(event.error.message);
      };
      return new webgpu.WebGPUBackend(device, adapter.info);
    },
    0,
  );
  // The package exports no version constant (unlike tfjs-backend-wasm's version_wasm).
  return (require('@tensorflow/tfjs-backend-webgpu/package.json') as { version: string }).version;
}

/** Sets navigator.gpu to Dawn's GPU: on Node's own navigator (Node 21+) or a minimal one (Node 20). */
function exposeNavigatorGpu(): void {
  const gpu = dawnGpu();
  if (gpu === null) throw new Error('startWebgpuBackend: Dawn is not loaded (call probeAdapter first)');
  const scope = globalThis as { navigator?: object };
  if (scope.navigator === undefined) {
    Object.defineProperty(globalThis, 'navigator', {
      value: { userAgent: `Node.js/${process.versions.node}` },
      configurable: true,
      writable: true,
    });
  }
  Object.defineProperty(scope.navigator, 'gpu', { value: gpu, configurable: true });
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
}
