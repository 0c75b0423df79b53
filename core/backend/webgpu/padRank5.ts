// PadV2 for rank-5 tensors on tfjs's 'webgpu' backend. tfjs-backend-webgpu 4.22's PadProgram indexes its
// 5-component coordinate struct (`end[i]` on a `vec5`), which WGSL rejects ("cannot index type 'vec5'"),
// so every rank-5 tf.pad (DenseNet's stem: NDHWC with 3 voxels each side) fails validation and yields
// garbage. When the last axis is not padded, padding [N, D, H, W, C] is exactly padding the rank-4 view
// [N, D, H, W*C] with W's padding times C (the same copy, byte for byte): we run the stock kernel on that
// view. Other cases go to the stock kernel unchanged.

import {
  getKernel,
  PadV2,
  registerKernel,
  unregisterKernel,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

let stock: KernelFunc | null = null;

/** Wraps the webgpu PadV2 kernel (idempotent); call after @tensorflow/tfjs-backend-webgpu is imported. */
export function registerWebgpuPadRank5(): void {
  if (stock !== null) return;
  const original = getKernel(PadV2, 'webgpu');
  if (original == null) throw new Error("registerWebgpuPadRank5: tfjs-backend-webgpu has no 'PadV2' kernel");
  stock = original.kernelFunc;
  unregisterKernel(PadV2, 'webgpu');
  registerKernel({ ...original, kernelFunc: padV2 } as KernelConfig);
}

/** The rank-4 padding that pads `shape`'s rank-5 tensor the same way, or null when C itself is padded. */
export function rank4Padding(
  shape: readonly number[],
  paddings: readonly (readonly [number, number])[],
): { shape: number[]; paddings: [number, number][] } | null {
  const last = paddings[4];
  if (shape.length !== 5 || paddings.length !== 5 || last === undefined || last[0] !== 0 || last[1] !== 0)
    return null;
  const c = shape[4]!;
  const [n, d, h, w] = paddings as readonly (readonly [number, number])[];
  return {
    shape: [shape[0]!, shape[1]!, shape[2]!, shape[3]! * c],
    paddings: [[...n!], [...d!], [...h!], [w![0] * c, w![1] * c]],
  };
}

const padV2: KernelFunc = (args) => {
  const { x } = args.inputs as { x: TensorInfo };
  const { paddings, constantValue } = args.attrs as unknown as {
    paddings: [number, number][];
    constantValue: number;
  };
  const view = rank4Padding(x.shape, paddings);
  if (view === null) return stock!(args);
  // A reshape is a new TensorInfo on the same data (what the webgpu Reshape kernel itself returns).
  const out = stock!({
    ...args,
    inputs: { x: { ...x, shape: view.shape } },
    attrs: { paddings: view.paddings, constantValue },
  }) as TensorInfo;
  const padded = x.shape.map((n, i) => n + paddings[i]![0] + paddings[i]![1]);
  return { ...out, shape: padded };
};
