// Conv3DBackpropInputV2 (the gradient of Conv3D with respect to its input) for tfjs's 'webgpu' backend,
// for stride 1 (every convolution of DenseNet but the stem, whose input needs no gradient): the
// correlation of dy with the filter flipped in space and with in and out channels swapped, padded by
// filter - 1 - pad, which Conv3dTiledProgram computes. tfjs-backend-webgpu 4.22's Conv3DDerInputProgram
// computes one value per invocation with a float division per filter tap (issue #12).

import { backend_util, type Conv3DBackpropInputV2Attrs, type TensorInfo } from '@tensorflow/tfjs-core';
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import {
  Conv3dTiledProgram,
  conv3dTiling,
  conv3dUniforms,
  WORKGROUP_SIZE,
  type Conv3dGeometry,
} from './conv3dProgram.js';

/**
 * W'[a, b, c, o, i] = W[fd - 1 - a, fh - 1 - b, fw - 1 - c, i, o]: the filter [fd, fh, fw, in, out] flipped
 * in space, in and out swapped ([fd, fh, fw, out, in]). One output value per invocation.
 */
export class FlipFilterProgram implements WebGPUProgram {
  outputShape: number[];
  shaderKey = 'voxlabConv3dFlipFilter';
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  variableNames = ['W'];
  workgroupSize: [number, number, number] = [WORKGROUP_SIZE, 1, 1];
  size = true;

  constructor(filterShape: readonly number[]) {
    const [fd, fh, fw, ci, co] = filterShape as [number, number, number, number, number];
    this.outputShape = [fd, fh, fw, co, ci];
    this.dispatchLayout = { x: [0, 1, 2, 3, 4] };
    this.dispatch = [Math.ceil((fd * fh * fw * ci * co) / WORKGROUP_SIZE), 1, 1];
  }

  getUserCode(): string {
    return `
    fn main(index: i32) {
      if (index >= uniforms.size) {
        return;
      }
      let s = uniforms.outShape;
      let i = index % s.u;
      var r = index / s.u;
      let o = r % s.w;
      r = r / s.w;
      let c = r % s.z;
      r = r / s.z;
      let b = r % s.y;
      let a = r / s.y;
      let src = ((((s.x - 1 - a) * s.y + s.y - 1 - b) * s.z + s.z - 1 - c) * s.u + i) * s.w + o;
      result[index] = W[src];
    }
  `;
  }
}

/**
 * dx [batch, depth, height, width, in] for dy [batch, outDepth, outHeight, outWidth, out] and filter
 * [kd, kh, kw, in, out], or null when the strides are not all 1 (then the stock kernel runs). float32.
 */
export function conv3dBackpropInputTiled(
  backend: WebGPUBackend,
  dy: TensorInfo,
  filter: TensorInfo,
  attrs: Conv3DBackpropInputV2Attrs,
): TensorInfo | null {
  const info = backend_util.computeConv3DInfo(
    attrs.inputShape,
    filter.shape as [number, number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
  );
  if (info.strideDepth !== 1 || info.strideHeight !== 1 || info.strideWidth !== 1) return null;
  const geometry: Conv3dGeometry = {
    outShape: info.inShape,
    inChannels: info.outChannels,
    filter: [info.filterDepth, info.filterHeight, info.filterWidth],
    pads: [
      info.filterDepth - 1 - info.padInfo.front,
      info.filterHeight - 1 - info.padInfo.top,
      info.filterWidth - 1 - info.padInfo.left,
    ],
    strides: [1, 1, 1],
    dilations: [1, 1, 1],
  };
  const tiling = conv3dTiling(info.outChannels, info.inChannels);
  const program = new Conv3dTiledProgram(geometry, tiling);
  if (program.dispatch.some((n) => n > backend.device.limits.maxComputeWorkgroupsPerDimension)) return null;
  const flipped = backend.runWebGPUProgram(new FlipFilterProgram(filter.shape), [filter], 'float32');
  try {
    return backend.runWebGPUProgram(
      program,
      [dy, flipped],
      'float32',
      conv3dUniforms(geometry, tiling.tileM),
    );
  } finally {
    // Safe before the queued work runs: tfjs keeps a buffer the command queue uses until it is submitted.
    backend.disposeData(flipped.dataId);
  }
}
