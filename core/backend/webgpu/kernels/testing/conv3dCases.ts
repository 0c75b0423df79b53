// The Conv3D cases our WebGPU kernels are checked on (kernels/conv3d.test.ts), forward and both gradients:
// every read mode of Conv3dTiledProgram ('vec4', 'scalarIn', 'scalar') and of the filter gradient, both
// forward loops (whole window rows inside the input, and the per-kw loop for padding, a row's last tile
// and dilation), odd sizes, strides 1, 2 and mixed (the input gradient's stock fallback), 'same' and
// 'valid', 1x1x1, 3x3x3 and 7x7x7 filters, channels not multiples of 4, and DenseNet's layer shapes.

import * as tf from '@tensorflow/tfjs-core';
import { backend_util, Conv3DBackpropFilterV2, Conv3DBackpropInputV2 } from '@tensorflow/tfjs-core';
import { seededTensor } from '../../../../model/testing/tensors.js';

/** One tf.conv3d call: x NDHWC [batch, depth, height, width, in], filter [kd, kh, kw, in, out]. */
export interface Conv3dCase {
  readonly name: string;
  readonly x: readonly [number, number, number, number, number];
  readonly filter: readonly [number, number, number, number, number];
  readonly strides: number | [number, number, number];
  readonly pad: 'same' | 'valid';
  readonly dilations?: number;
}

export const CONV3D_CASES: readonly Conv3dCase[] = [
  {
    name: '1x1x1, 6 -> 10 channels (scalar), odd volume',
    x: [1, 5, 6, 7, 6],
    filter: [1, 1, 1, 6, 10],
    strides: 1,
    pad: 'same',
  },
  {
    name: '1x1x1, 16 -> 12 (vec4), batch 2',
    x: [2, 6, 6, 6, 16],
    filter: [1, 1, 1, 16, 12],
    strides: 1,
    pad: 'valid',
  },
  {
    name: '1x1x1 stride 2, 8 -> 8, odd volume',
    x: [1, 7, 9, 5, 8],
    filter: [1, 1, 1, 8, 8],
    strides: 2,
    pad: 'valid',
  },
  {
    name: '3x3x3 same, 3 -> 5 (scalar), odd volume',
    x: [1, 7, 9, 5, 3],
    filter: [3, 3, 3, 3, 5],
    strides: 1,
    pad: 'same',
  },
  {
    name: '3x3x3 same, 8 -> 4 (vec4, 4 out)',
    x: [1, 9, 8, 11, 8],
    filter: [3, 3, 3, 8, 4],
    strides: 1,
    pad: 'same',
  },
  {
    name: '3x3x3 same stride 2, 5 -> 8 (scalarIn)',
    x: [1, 9, 7, 11, 5],
    filter: [3, 3, 3, 5, 8],
    strides: 2,
    pad: 'same',
  },
  {
    name: '3x3x3 valid stride 2, 4 -> 8, batch 2',
    x: [2, 9, 10, 7, 4],
    filter: [3, 3, 3, 4, 8],
    strides: 2,
    pad: 'valid',
  },
  {
    name: '3x3x3 same, strides [1, 2, 3], 4 -> 4',
    x: [1, 8, 9, 10, 4],
    filter: [3, 3, 3, 4, 4],
    strides: [1, 2, 3],
    pad: 'same',
  },
  {
    name: '3x3x3 same, dilation 2, 4 -> 8',
    x: [1, 9, 9, 9, 4],
    filter: [3, 3, 3, 4, 8],
    strides: 1,
    pad: 'same',
    dilations: 2,
  },
  {
    name: '7x7x7 valid stride 2, 1 -> 16 (the stem, padded)',
    x: [1, 19, 19, 19, 1],
    filter: [7, 7, 7, 1, 16],
    strides: 2,
    pad: 'valid',
  },
  {
    name: '7x7x7 same stride 2, 2 -> 6 (scalar)',
    x: [1, 13, 11, 12, 2],
    filter: [7, 7, 7, 2, 6],
    strides: 2,
    pad: 'same',
  },
  {
    name: 'DenseNet 3x3x3 same, 128 -> 32 at 6^3',
    x: [1, 6, 6, 6, 128],
    filter: [3, 3, 3, 128, 32],
    strides: 1,
    pad: 'same',
  },
  {
    name: 'DenseNet 1x1x1, 96 -> 128 at 6^3',
    x: [1, 6, 6, 6, 96],
    filter: [1, 1, 1, 96, 128],
    strides: 1,
    pad: 'same',
  },
];

/** The case's seeded input and filter (the same values in every process). */
export function conv3dCaseInputs(c: Conv3dCase, index: number): { x: tf.Tensor5D; filter: tf.Tensor5D } {
  return {
    x: seededTensor([...c.x], 1000 + index) as tf.Tensor5D,
    filter: seededTensor([...c.filter], 2000 + index) as tf.Tensor5D,
  };
}

/**
 * The gradient kernels of case `index` (Conv3DBackpropInputV2 and Conv3DBackpropFilterV2, called directly
 * as tfjs's Conv3D gradient calls them) for a seeded dy, on the active backend, read back; null for a
 * dilated case (tfjs has no such gradient).
 */
export async function runConv3dGradCase(
  index: number,
): Promise<{ dx: Float32Array; dW: Float32Array } | null> {
  const c = CONV3D_CASES[index]!;
  if ((c.dilations ?? 1) !== 1) return null;
  const { x, filter } = conv3dCaseInputs(c, index);
  const info = backend_util.computeConv3DInfo([...c.x], [...c.filter], c.strides, 1, c.pad);
  const dy = seededTensor(info.outShape, 3000 + index);
  const attrs = { strides: c.strides, pad: c.pad };
  const engine = tf.engine();
  try {
    const dx = engine.runKernel(
      Conv3DBackpropInputV2,
      { dy, filter },
      { ...attrs, inputShape: c.x },
    ) as tf.Tensor;
    const dW = engine.runKernel(
      Conv3DBackpropFilterV2,
      { x, dy },
      { ...attrs, filterShape: c.filter },
    ) as tf.Tensor;
    try {
      return { dx: Float32Array.from(await dx.data()), dW: Float32Array.from(await dW.data()) };
    } finally {
      tf.dispose([dx, dW]);
    }
  } finally {
    tf.dispose([x, filter, dy]);
  }
}

/** tf.conv3d of case `index` on the active backend, read back. */
export async function runConv3dCase(index: number): Promise<Float32Array> {
  const c = CONV3D_CASES[index]!;
  const { x, filter } = conv3dCaseInputs(c, index);
  try {
    const y = tf.conv3d(x, filter, c.strides, c.pad, 'NDHWC', c.dilations ?? 1);
    try {
      return Float32Array.from(await y.data());
    } finally {
      y.dispose();
    }
  } finally {
    tf.dispose([x, filter]);
  }
}
