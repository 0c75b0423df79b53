// Gradient of Concat (tf.concat; a dense layer's torch.cat([input, new], channels)): each input gets its
// own run of dy along the axis, cut as a 2-D slice (sliceByAxes: the wasm backend's 5-D Slice/SplitV
// walks the tensor element by element, ENVIRONMENT.md).

import {
  Concat,
  type ConcatAttrs,
  type GradConfig,
  type NamedAttrMap,
  type Tensor,
} from '@tensorflow/tfjs-core';
import { normalizeAxes, oneDy, sliceByAxes, type GradientMap } from './gradUtil.js';

export const concatGrad: GradConfig = {
  kernelName: Concat,
  // Inputs are saved for their shapes only (the tape gives a gradient nothing else).
  saveAllInputs: true,
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const g = oneDy(dy);
    const [axis] = normalizeAxes((attrs as unknown as ConcatAttrs).axis, g.rank);
    const grads: GradientMap = {};
    let offset = 0;
    saved.forEach((x, i) => {
      const begin = g.shape.map((_, a) => (a === axis ? offset : 0));
      grads[i] = () => sliceByAxes(g, begin, x.shape);
      offset += x.shape[axis!]!;
    });
    return grads;
  },
};
