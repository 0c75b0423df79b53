// What a person can do to get training on their GPU, in words, for `voxlab doctor` (issue #12): the
// WebGPU path needs only the GPU's ordinary graphics driver (Vulkan on Linux, Metal on macOS, Direct3D 12
// on Windows), no CUDA.

import { adapterName, type AdapterDescription } from './describeAdapter.js';

/** The environment variable that names the backend 'auto' resolves to (e.g. VOXLAB_BACKEND=webgpu). */
export const BACKEND_ENV = 'VOXLAB_BACKEND';

/** How to get a hardware WebGPU adapter on `platform` (process.platform values). */
export function driverAdvice(platform: string): string {
  switch (platform) {
    case 'linux':
      return (
        "install your GPU's Vulkan driver (AMD/Intel: mesa-vulkan-drivers; NVIDIA: the proprietary driver " +
        'with its Vulkan ICD) and check that `vulkaninfo --summary` lists the GPU'
      );
    case 'darwin':
      return 'WebGPU runs on Metal: any Mac since 2016 on macOS 11 or later has it; update macOS';
    case 'win32':
      return "update your GPU's driver (WebGPU runs on Direct3D 12, Windows 10 or later)";
    default:
      return `WebGPU needs a Vulkan, Metal or Direct3D 12 driver; none is known for ${platform}`;
  }
}

/**
 * The WebGPU line of `voxlab doctor`: the adapter and whether it is used, or why there is none and what to
 * do. `adapter` null means no adapter was found; `inUse` whether the webgpu backend is the active one.
 */
export function webgpuDetail(
  adapter: AdapterDescription | null,
  inUse: boolean,
  platform: string,
  why: string,
): string {
  if (adapter === null) return `no WebGPU adapter (${why}): ${driverAdvice(platform)}`;
  const name = adapterName(adapter);
  if (adapter.software) {
    const use = inUse
      ? 'in use because it was asked for (slower than wasm: for tests)'
      : `not used unless asked (--backend webgpu or ${BACKEND_ENV}=webgpu)`;
    return `only a software adapter, ${name}: ${adapter.softwareReason}; ${use}. For a GPU, ${driverAdvice(platform)}`;
  }
  return inUse ? `${name}: in use` : `${name}: found, not in use (${why})`;
}
