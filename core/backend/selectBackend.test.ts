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
      expect(report.candidates.map((c) => c.name)).toEqual(['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']);
      const byName = Object.fromEntries(report.candidates.map((c) => [c.name, c]));
      expect(byName['tfjs-node-gpu']).toMatchObject({ available: false });
      expect(byName['tfjs-node-gpu']!.reason).toContain('@tensorflow/tfjs-node-gpu is not installed');
      expect(byName['tfjs-node']!.reason).toContain('@tensorflow/tfjs-node is not installed');
      expect(byName['wasm']).toMatchObject({ available: true });
      expect(byName['wasm']!.reason).toMatch(/2 thread/);
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
  });

  it('rejects a thread count that is not a positive integer', async () => {
    await expect(initBackend({ threads: 0 })).rejects.toThrow(/threads must be an integer >= 1/);
  });
});
