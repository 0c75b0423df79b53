// Our Conv3D, Conv3DBackpropInputV2 and Conv3DBackpropFilterV2 for tfjs's 'webgpu' backend (issue #12), in
// place of tfjs-backend-webgpu 4.22's naive programs (one output value per invocation). On SwiftShader with
// 2 cores those ran DenseNet121's convolutions at 0.005 (the 7x7x7 stem, 1 input channel) to 0.13 GFLOP/s
// and left its 96^3 forward unfinished after 15 minutes; ours run them at 0.5-0.8 GFLOP/s (the forward:
// 66-150 s, by machine load). Conv3D takes every stride, padding and dilation; the input gradient stride 1
// (conv3dBackpropInput.ts). Other cases (dtypes, layouts, dispatches past the device's limits) go to the
// stock kernels, kept aside here.

import {
  backend_util,
  Conv3D,
  Conv3DBackpropFilterV2,
  Conv3DBackpropInputV2,
  getKernel,
  registerKernel,
  unregisterKernel,
  type Conv3DAttrs,
  type Conv3DBackpropFilterV2Attrs,
  type Conv3DBackpropInputV2Attrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { conv3dBackpropFilterTiled } from './conv3dBackpropFilter.js';
import { conv3dBackpropInputTiled } from './conv3dBackpropInput.js';
import { Conv3dTiledProgram, conv3dTiling, conv3dUniforms, geometryOf } from './conv3dProgram.js';

const stock = new Map<string, KernelFunc>();
let implementation: 'tiled' | 'stock' = 'tiled';

/**
 * Which programs the registered kernels run: ours ('tiled', the default) or tfjs's naive ones ('stock'),
 * for benchmarks and tests that compare the two in one process.
 */
export function setWebgpuConv3dImplementation(which: 'tiled' | 'stock'): void {
  implementation = which;
}

/**
 * Replaces the 'webgpu' Conv3D kernel and its two gradients with ours (idempotent); call after
 * @tensorflow/tfjs-backend-webgpu is imported (its kernels register at import). Throws when the package
 * lacks one of them.
 */
export function registerWebgpuConv3dKernels(): void {
  if (stock.size > 0) return;
  const ours: Record<string, KernelFunc> = {
    [Conv3D]: conv3dKernel,
    [Conv3DBackpropInputV2]: inputGradKernel,
    [Conv3DBackpropFilterV2]: filterGradKernel,
  };
  // All three looked up before any is replaced, so a missing one leaves the stock kernels in place.
  for (const name of Object.keys(ours)) {
    const original = getKernel(name, 'webgpu');
    if (original == null)
      throw new Error(`registerWebgpuConv3dKernels: tfjs-backend-webgpu has no '${name}' kernel to replace`);
    stock.set(name, original.kernelFunc);
  }
  for (const [name, kernelFunc] of Object.entries(ours)) {
    unregisterKernel(name, 'webgpu');
    registerKernel({ kernelName: name, backendName: 'webgpu', kernelFunc } as KernelConfig);
  }
}

/** Why our programs do not take this convolution (then the stock kernel does), or null. */
export function conv3dUnsupportedReason(a: TensorInfo, b: TensorInfo, dataFormat?: string): string | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return `dtype ${a.dtype} x ${b.dtype}`;
  if (dataFormat !== undefined && dataFormat !== 'NDHWC') return `dataFormat ${dataFormat}`;
  return null;
}

/** The stock kernel's result for `args` when ours does not run (`ours` returned null or was not asked). */
function orStock(name: string, args: Parameters<KernelFunc>[0], ours: () => TensorInfo | null) {
  return (implementation === 'tiled' ? ours() : null) ?? stock.get(name)!(args);
}

const conv3dKernel: KernelFunc = (args) => {
  const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
  const attrs = args.attrs as unknown as Conv3DAttrs;
  const backend = args.backend as WebGPUBackend;
  return orStock(Conv3D, args, () => {
    if (conv3dUnsupportedReason(x, filter, attrs.dataFormat) !== null) return null;
    const info = backend_util.computeConv3DInfo(
      x.shape as [number, number, number, number, number],
      filter.shape as [number, number, number, number, number],
      attrs.strides,
      attrs.dilations,
      attrs.pad,
    );
    const geometry = geometryOf(info);
    const tiling = conv3dTiling(info.inChannels, info.outChannels);
    const program = new Conv3dTiledProgram(geometry, tiling);
    // tfjs would fold an oversized x dispatch into x and y, where ours keeps the output channels.
    if (program.dispatch.some((n) => n > backend.device.limits.maxComputeWorkgroupsPerDimension)) return null;
    return backend.runWebGPUProgram(program, [x, filter], 'float32', conv3dUniforms(geometry, tiling.tileM));
  });
};

const inputGradKernel: KernelFunc = (args) => {
  const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
  const attrs = args.attrs as unknown as Conv3DBackpropInputV2Attrs;
  return orStock(Conv3DBackpropInputV2, args, () =>
    conv3dUnsupportedReason(dy, filter) === null
      ? conv3dBackpropInputTiled(args.backend as WebGPUBackend, dy, filter, attrs)
      : null,
  );
};

const filterGradKernel: KernelFunc = (args) => {
  const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
  const attrs = args.attrs as unknown as Conv3DBackpropFilterV2Attrs;
  return orStock(Conv3DBackpropFilterV2, args, () =>
    conv3dUnsupportedReason(x, dy) === null
      ? conv3dBackpropFilterTiled(args.backend as WebGPUBackend, x, dy, attrs)
      : null,
  );
};
