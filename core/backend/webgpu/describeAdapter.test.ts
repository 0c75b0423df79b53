// describeAdapter and the doctor's advice on adapters as drivers report them (no GPU needed).

import { describe, expect, it } from 'vitest';
import { adapterName, describeAdapter, limitsSummary, type AdapterLike } from './describeAdapter.js';
import { driverAdvice, webgpuDetail } from './gpuAdvice.js';

const LIMITS = {
  maxStorageBufferBindingSize: 2 ** 31,
  maxBufferSize: 2 ** 32,
  maxComputeWorkgroupStorageSize: 32768,
  maxComputeInvocationsPerWorkgroup: 1024,
  maxComputeWorkgroupsPerDimension: 65535,
};
const adapter = (info: AdapterLike['info'], extra: Partial<AdapterLike> = {}): AdapterLike => ({
  info,
  limits: LIMITS,
  features: new Set(['timestamp-query', 'shader-f16']),
  ...extra,
});

describe('describeAdapter', () => {
  it.each([
    ['SwiftShader (Dawn on chromium)', { vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader driver 5.0.0' }, 'SwiftShader, Vulkan on the CPU'],
    ['llvmpipe', { vendor: 'mesa', architecture: '', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' }, 'llvmpipe, Mesa OpenGL on the CPU'],
    ['lavapipe', { vendor: 'mesa', device: 'lavapipe', description: '' }, 'lavapipe, Mesa Vulkan on the CPU'],
    ['WARP', { vendor: 'microsoft', description: 'Microsoft Basic Render Driver' }, 'WARP, Direct3D on the CPU'],
    ['an NVIDIA GPU', { vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA GeForce RTX 3060' }, null],
    ['an Apple GPU', { vendor: 'apple', architecture: 'metal-3', description: '' }, null],
  ])('%s', (_name, info, softwareReason) => {
    const d = describeAdapter(adapter(info));
    expect(d.softwareReason).toBe(softwareReason);
    expect(d.software).toBe(softwareReason !== null);
    expect(d.limits).toEqual(LIMITS);
    expect(d.features).toEqual(['shader-f16', 'timestamp-query']);
  });

  it('counts an adapter that calls itself the fallback adapter as software, whatever its name', () => {
    expect(describeAdapter(adapter({ vendor: 'acme' }, { isFallbackAdapter: true }))).toMatchObject({
      software: true,
      softwareReason: 'the fallback (CPU) adapter',
      isFallbackAdapter: true,
    });
    expect(describeAdapter(adapter({ vendor: 'acme', isFallbackAdapter: true })).software).toBe(true);
  });

  it('names the adapter and its limits in words, with missing fields left out', () => {
    const d = describeAdapter(adapter({ vendor: 'nvidia', architecture: 'ampere', description: 'RTX 3060' }));
    expect(adapterName(d)).toBe('nvidia ampere (RTX 3060)');
    expect(adapterName(describeAdapter(adapter(undefined)))).toBe('unknown vendor');
    expect(limitsSummary(d.limits)).toBe(
      'max storage binding 2.0 GiB, max buffer 4.0 GiB, workgroup memory 32 KiB, 1024 invocations per workgroup',
    );
  });
});

describe('webgpuDetail', () => {
  const gpu = describeAdapter(adapter({ vendor: 'amd', architecture: 'rdna-3', description: 'RX 7600' }));
  const swiftshader = describeAdapter(adapter({ vendor: 'google', architecture: 'swiftshader' }));
  it.each([
    [null, false, 'linux', /^no WebGPU adapter \(why\): install your GPU's Vulkan driver/],
    [null, false, 'darwin', /^no WebGPU adapter \(why\): WebGPU runs on Metal/],
    [null, false, 'win32', /Direct3D 12/],
    [swiftshader, false, 'linux', /only a software adapter.*not used unless asked \(--backend webgpu or VOXLAB_BACKEND=webgpu\)\. For a GPU, install/],
    [swiftshader, true, 'linux', /in use because it was asked for/],
    [gpu, true, 'linux', /^amd rdna-3 \(RX 7600\): in use$/],
    [gpu, false, 'linux', /found, not in use \(why\)/],
  ])('%#: says what there is and what to do', (a, inUse, platform, expected) => {
    expect(webgpuDetail(a, inUse, platform, 'why')).toMatch(expected);
  });

  it('has advice for an unknown platform too', () => {
    expect(driverAdvice('aix')).toContain('none is known for aix');
  });
});
