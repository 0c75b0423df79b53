// initBackend on a machine without the native TensorFlow packages (as here and in CI): it must pick
// wasm with real threads, and say for every other candidate why it was not used.

import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { isNativeInstalled } from './nativeTfjs.js';
import { wasmConv3dKernelsRegistered } from './registerWasmConv3d.js';
import { initBackend } from './selectBackend.js';

const nativeMissing = !isNativeInstalled('tfjs-node') && !isNativeInstalled('tfjs-node-gpu');

describe('initBackend', () => {
  it.runIf(nativeMissing)(
    'falls back to wasm with threads and gives a reason for each candidate',
    async () => {
      const report = await initBackend({ threads: 2 });
      expect(report.backend).toBe('wasm');
      expect(tf.getBackend()).toBe('wasm');
      expect(report.threads).toBe(getThreadsCount());
      // Real threads where SharedArrayBuffer exists (any Node 20); 1 would mean the loader fell back.
      expect(report.threads).toBe(typeof SharedArrayBuffer === 'undefined' ? 1 : 2);
      expect(report.simd).toBe(true);
      expect(report.candidates.map((c) => c.name)).toEqual(['webgpu', 'tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']);
      const byName = Object.fromEntries(report.candidates.map((c) => [c.name, c]));
      // No Vulkan driver in this process (the WebGPU tests start SwiftShader in a child): no adapter.
      if (report.webgpu.adapter === null) {
        expect(byName['webgpu']).toMatchObject({ available: false });
        expect(report.webgpu.detail).toMatch(/^no WebGPU adapter .*: /);
      } else expect(report.webgpu.adapter.software).toBe(true);
      expect(report.webgpu.inUse).toBe(false);
      expect(byName['tfjs-node-gpu']).toMatchObject({ available: false });
      expect(byName['tfjs-node-gpu']!.reason).toContain('@tensorflow/tfjs-node-gpu is not installed');
      expect(byName['tfjs-node']!.reason).toContain('@tensorflow/tfjs-node is not installed');
      expect(byName['wasm']).toMatchObject({ available: true });
      expect(byName['wasm']!.reason).toMatch(/2 thread/);
      // Where training's heavy products run: onnxruntime-node is a dependency, so MLAS here.
      expect(byName['wasm']!.reason).toMatch(/on ONNX Runtime's native CPU kernels \(MLAS\)/);
      expect(byName['cpu']!.reason).toMatch(/not needed/);
      expect(report.gpu.cuda).toBe(false);
      expect(report.gpu.detail).toContain('tfjs-node-gpu');
      expect(report.versions['tfjs-core']).toBe(tf.version_core);
      expect(wasmConv3dKernelsRegistered()).toBe(true);
    },
  );

  it('honours prefer: cpu and still reports the others', async () => {
    const report = await initBackend({ prefer: 'cpu' });
    expect(report.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(report.threads).toBe(1);
    expect(report.candidates.find((c) => c.name === 'cpu')).toMatchObject({ available: true });
    expect(report.candidates.find((c) => c.name === 'wasm')!.reason).toMatch(
      /not needed: cpu was chosen first/,
    );
    expect(report.candidates.find((c) => c.name === 'webgpu')!.reason).toMatch(/adapter not probed/);
  });

  it('takes VOXLAB_BACKEND as what auto means, and refuses a value it does not know', async () => {
    const saved = process.env.VOXLAB_BACKEND;
    try {
      process.env.VOXLAB_BACKEND = 'cpu';
      expect((await initBackend({ prefer: 'auto' })).backend).toBe('cpu');
      expect((await initBackend({ prefer: 'wasm', threads: 2 })).backend).toBe('wasm');
      process.env.VOXLAB_BACKEND = 'cuda';
      await expect(initBackend()).rejects.toThrow(/VOXLAB_BACKEND must be one of auto, webgpu, tensorflow/);
    } finally {
      if (saved === undefined) delete process.env.VOXLAB_BACKEND;
      else process.env.VOXLAB_BACKEND = saved;
    }
  });

  it('rejects a thread count that is not a positive integer', async () => {
    await expect(initBackend({ threads: 0 })).rejects.toThrow(/threads must be an integer >= 1/);
  });
});
