// Gradient of Slice (tf.slice): y = x[begin : begin + size], so dx is dy placed at `begin` in zeros of
// x's shape (a zero padding of dy).

import * as tf from '@tensorflow/tfjs-core';
import {
  Slice,
  type GradConfig,
  type NamedAttrMap,
  type SliceAttrs,
  type Tensor,
} from '@tensorflow/tfjs-core';
import { oneDy, perAxis } from './gradUtil.js';

export const sliceGrad: GradConfig = {
  kernelName: Slice,
  inputsToSave: ['x'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [x] = saved as [Tensor];
    const { begin, size } = attrs as unknown as SliceAttrs;
    // tfjs lets `begin` / `size` be shorter than the rank (the rest: 0 / everything) and size -1 = to the end.
    const b = perAxis(begin, x.rank).concat(new Array<number>(x.rank).fill(0)).slice(0, x.rank);
    const s = perAxis(size, x.rank).concat(new Array<number>(x.rank).fill(-1)).slice(0, x.rank);
    const paddings = x.shape.map((n, i): [number, number] => {
      const len = s[i]! < 0 ? n - b[i]! : s[i]!;
      return [b[i]!, n - b[i]! - len];
    });
    return { x: () => tf.pad(oneDy(dy), paddings) };
  },
};
