// Registers our XNNPACK-based Conv3D, Conv3DBackpropInputV2 and Conv3DBackpropFilterV2 for the 'wasm'
// backend in place of tfjs's naive ones (~0.4 GFLOP/s, issue #3), plus MaxPool3D / MaxPool3DGrad
// (maxPool3d.ts), AvgPool3D / AvgPool3DGrad for tiling windows (avgPool3d.ts), an Identity that shares instead of copying (sharedIdentity.ts) and a Slice that reads
// the heap in place (heapSlice.ts). Cases we do not handle (dilations, other dtypes, numeric padding
// beyond the kernel) go to the stock kernel, kept aside here.

import {
  AvgPool3D,
  AvgPool3DGrad,
  Conv3D,
  Conv3DBackpropFilterV2,
  Conv3DBackpropInputV2,
  getKernel,
  Identity,
  MaxPool3D,
  MaxPool3DGrad,
  registerKernel,
  Slice,
  slice_util,
  unregisterKernel,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { avgPool3dTiled, avgPool3dTiledBackprop, tilingPoolInfo } from './avgPool3d.js';
import { conv3dBackpropFilter } from './conv3dBackpropFilter.js';
import { conv3dBackpropInput, conv3dForward } from './conv3dForward.js';
import { conv3dGeometry, unsupportedReason, type Conv3dGeometry } from './conv3dGeometry.js';
import { maxPool3dBackprop, maxPool3dForward, pool3dInfo, type Pool3dAttrs } from './maxPool3d.js';
import { croppedGeometry, cropInput, embedInputGrad, negativePaddingCrop } from './negativePadding.js';
import { heapSlice } from './heapSlice.js';
import { sharedIdentity } from './sharedIdentity.js';
import { release, type WasmBackend } from './wasmHeap.js';

type Pad = 'same' | 'valid' | number;
type Strides = number | [number, number, number];

const stock = new Map<string, KernelFunc>();

/** True once our kernels (convolutions, 3D pooling, Identity, Slice) are registered. */
export function wasmConv3dKernelsRegistered(): boolean {
  return stock.size > 0;
}

/**
 * Replaces the wasm Conv3D, MaxPool3D and AvgPool3D kernels (and their gradients), Identity and Slice;
 * idempotent. Call before or after the backend starts.
 */
export function registerWasmConv3dKernels(): void {
  if (stock.size > 0) return;
  const ours: Record<string, KernelFunc> = {
    [Conv3D]: conv3dKernel,
    [Conv3DBackpropInputV2]: inputGradKernel,
    [Conv3DBackpropFilterV2]: filterGradKernel,
    [MaxPool3D]: maxPoolKernel,
    [MaxPool3DGrad]: maxPoolGradKernel,
    [AvgPool3D]: avgPoolKernel,
    [AvgPool3DGrad]: avgPoolGradKernel,
    [Identity]: identityKernel,
    [Slice]: sliceKernel,
  };
  for (const [name, kernelFunc] of Object.entries(ours)) {
    const original = getKernel(name, 'wasm');
    if (original == null)
      throw new Error(`registerWasmConv3dKernels: tfjs-backend-wasm has no '${name}' kernel to replace`);
    stock.set(name, original.kernelFunc);
    unregisterKernel(name, 'wasm');
    // The stock setupFunc binds the C function its kernelFunc calls; keep it for the fallback.
    registerKernel({
      kernelName: name,
      backendName: 'wasm',
      setupFunc: original.setupFunc,
      kernelFunc,
    } as KernelConfig);
  }
}

/** Runs ours, or the stock kernel when `reason` says ours does not handle the case. */
function dispatch(
  name: string,
  args: Parameters<KernelFunc>[0],
  reason: string | null,
  run: () => TensorInfo,
): TensorInfo {
  if (reason == null) return run();
  const original = stock.get(name);
  if (original == null) throw new Error(`${name}: no stock wasm kernel to fall back to (${reason})`);
  return original(args) as TensorInfo;
}

function attrsOf(attrs: NamedAttrMap | undefined): { strides: Strides; pad: Pad; dilations?: Strides } {
  return attrs as unknown as { strides: Strides; pad: Pad; dilations?: Strides };
}

const conv3dKernel: KernelFunc = (args) => {
  const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
  const { strides, pad, dilations } = attrsOf(args.attrs);
  const g = conv3dGeometry(x.shape, filter.shape, strides, pad);
  const reason = unsupportedReason(g, dilations, [x.dtype, filter.dtype]);
  return dispatch(Conv3D, args, reason, () =>
    withCroppedInput(args.backend as WasmBackend, x, g, (xc, gc) =>
      conv3dForward(args.backend as WasmBackend, xc, filter, gc),
    ),
  );
};

const inputGradKernel: KernelFunc = (args) => {
  const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
  const { strides, pad } = attrsOf(args.attrs);
  const { inputShape } = args.attrs as unknown as { inputShape: number[] };
  const g = conv3dGeometry(inputShape, filter.shape, strides, pad);
  const reason = unsupportedReason(g, 1, [dy.dtype, filter.dtype]);
  return dispatch(Conv3DBackpropInputV2, args, reason, () => {
    const backend = args.backend as WasmBackend;
    const crop = negativePaddingCrop(g);
    if (crop == null) return conv3dBackpropInput(backend, dy, filter, g);
    const partial = conv3dBackpropInput(backend, dy, filter, croppedGeometry(g, crop));
    try {
      return embedInputGrad(backend, partial, g, crop);
    } finally {
      release(backend, partial);
    }
  });
};

const filterGradKernel: KernelFunc = (args) => {
  const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad } = attrsOf(args.attrs);
  const { filterShape } = args.attrs as unknown as { filterShape: number[] };
  const g = conv3dGeometry(x.shape, filterShape, strides, pad);
  const reason = unsupportedReason(g, 1, [x.dtype, dy.dtype]);
  return dispatch(Conv3DBackpropFilterV2, args, reason, () =>
    withCroppedInput(args.backend as WasmBackend, x, g, (xc, gc) =>
      conv3dBackpropFilter(args.backend as WasmBackend, xc, dy, gc),
    ),
  );
};

const identityKernel: KernelFunc = (args) => {
  const { x } = args.inputs as { x: TensorInfo };
  return dispatch(Identity, args, x.dtype === 'string' ? 'string tensor' : null, () =>
    sharedIdentity(args.backend as WasmBackend, x),
  );
};

const sliceKernel: KernelFunc = (args) => {
  const { x } = args.inputs as { x: TensorInfo };
  const { begin, size } = args.attrs as unknown as { begin: number | number[]; size?: number | number[] };
  return dispatch(Slice, args, x.dtype === 'float32' ? null : `dtype ${x.dtype}`, () => {
    const [b, s] = slice_util.parseSliceParams(x, begin, size) as [number[], number[]];
    return heapSlice(args.backend as WasmBackend, x, b, s);
  });
};

const maxPoolKernel: KernelFunc = (args) => {
  const { x } = args.inputs as { x: TensorInfo };
  const info = pool3dInfo(x.shape, args.attrs as unknown as Pool3dAttrs, x.dtype);
  return dispatch(MaxPool3D, args, info == null ? 'dilated or not float32' : null, () =>
    maxPool3dForward(args.backend as WasmBackend, x, info!),
  );
};

const maxPoolGradKernel: KernelFunc = (args) => {
  const { dy, input, output } = args.inputs as { dy: TensorInfo; input: TensorInfo; output?: TensorInfo };
  const info = pool3dInfo(input.shape, args.attrs as unknown as Pool3dAttrs, input.dtype);
  const reason =
    info == null || dy.dtype !== 'float32' || output?.dtype !== 'float32'
      ? 'dilated, not float32 or no forward output'
      : null;
  return dispatch(MaxPool3DGrad, args, reason, () =>
    maxPool3dBackprop(args.backend as WasmBackend, dy, input, output!, info!),
  );
};

const avgPoolKernel: KernelFunc = (args) => {
  const { x } = args.inputs as { x: TensorInfo };
  const info = tilingPoolInfo(x.shape, args.attrs as unknown as Pool3dAttrs, x.dtype);
  return dispatch(AvgPool3D, args, info == null ? 'windows overlap, pad or dilate' : null, () =>
    avgPool3dTiled(args.backend as WasmBackend, x, info!),
  );
};

const avgPoolGradKernel: KernelFunc = (args) => {
  const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
  const info = tilingPoolInfo(input.shape, args.attrs as unknown as Pool3dAttrs, dy.dtype);
  return dispatch(AvgPool3DGrad, args, info == null ? 'windows overlap, pad or dilate' : null, () =>
    avgPool3dTiledBackprop(args.backend as WasmBackend, dy, info!),
  );
};

/** Runs `f` on x itself, or on x cropped when tfjs's 'same' gave negative padding. */
function withCroppedInput(
  backend: WasmBackend,
  x: TensorInfo,
  g: Conv3dGeometry,
  f: (x: TensorInfo, g: Conv3dGeometry) => TensorInfo,
): TensorInfo {
  const crop = negativePaddingCrop(g);
  if (crop == null) return f(x, g);
  const cropped = cropInput(backend, x, g, crop);
  try {
    return f(cropped, croppedGeometry(g, crop));
  } finally {
    release(backend, cropped);
  }
}
