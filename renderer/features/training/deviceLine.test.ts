import { describe, expect, it } from 'vitest';
import type { DoctorInfo } from '../../../core/api/index.js';
import { deviceLine } from './deviceLine.js';

const base: DoctorInfo = {
  backend: 'wasm',
  threads: 2,
  candidates: [],
  onnxruntime: { installed: true, detail: '' },
  webgpu: { adapter: null, inUse: false, detail: 'no WebGPU adapter' },
  machine: { platform: 'linux', arch: 'x64', cores: 2, memoryGb: 8 },
};

describe('the training device line', () => {
  it('names the CPU backend and its threads', () => {
    expect(deviceLine(base)).toBe('CPU (wasm, 2 threads)');
  });
  it('names a WebGPU adapter in use, and marks a software one', () => {
    const adapter = { vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader driver 5.0.0', software: true };
    expect(deviceLine({ ...base, backend: 'webgpu', threads: 1, webgpu: { adapter, inUse: true, detail: '' } })).toBe(
      'GPU (WebGPU): SwiftShader driver 5.0.0 — a software adapter on the CPU',
    );
    expect(deviceLine({ ...base, backend: 'webgpu', webgpu: { adapter: { ...adapter, software: false, description: '' , vendor: 'nvidia', architecture: 'ampere' }, inUse: true, detail: '' } })).toBe(
      'GPU (WebGPU): nvidia ampere',
    );
  });
  it('says native TensorFlow', () => {
    expect(deviceLine({ ...base, backend: 'tensorflow' })).toBe('TensorFlow (native)');
  });
});
