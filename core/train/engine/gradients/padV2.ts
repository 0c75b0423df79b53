// Gradient of PadV2 (tf.pad; explicit conv/max-pool padding in core/model): the padded border is constant,
// so dx is dy with the border cut off (a slice of x's shape starting at the leading padding; 2-D
// slices, see sliceByAxes).

import {
  PadV2,
  type GradConfig,
  type NamedAttrMap,
  type PadV2Attrs,
  type Tensor,
} from '@tensorflow/tfjs-core';
import { oneDy, sliceByAxes } from './gradUtil.js';

export const padV2Grad: GradConfig = {
  kernelName: PadV2,
  inputsToSave: ['x'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [x] = saved as [Tensor];
    const { paddings } = attrs as unknown as PadV2Attrs;
    return {
      x: () =>
        sliceByAxes(
          oneDy(dy),
          paddings.map((p) => p[0]),
          x.shape,
        ),
    };
  },
};
