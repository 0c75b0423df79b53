// The two-level column sum (../../columnSum.ts) for tfjs's 'webgpu' backend, registered as
// COLUMN_SUM_KERNEL. tfjs-backend-webgpu 4.22's Sum over axis 0 transposes the matrix first and then reduces
// rows: on SwiftShader that transpose took 111 s of a 177 s small-net training step at 32^3 (issue #12).
// Here each invocation sums one block of one column in row order, reading the matrix in place (adjacent
// invocations read adjacent channels of the same row), then a second dispatch sums the block sums.

import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { registerKernel } from '@tensorflow/tfjs-core';
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { COLUMN_SUM_KERNEL, type ColumnSumAttrs } from '../../columnSum.js';
import { WORKGROUP_SIZE } from './conv3dProgram.js';

/**
 * out[b, c] = sum of m[r, c] for r in [b * chunk, min(rows, (b + 1) * chunk)), added in increasing r;
 * m [rows, channels] float32, out [ceil(rows / chunk), channels]. One output value per invocation.
 */
export class ColumnBlockSumProgram implements WebGPUProgram {
  outputShape: number[];
  shaderKey = 'voxlabColumnBlockSum';
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  variableNames = ['m'];
  uniforms = 'chunk: i32,';
  workgroupSize: [number, number, number] = [WORKGROUP_SIZE, 1, 1];
  size = true;

  constructor(rows: number, channels: number, chunk: number) {
    this.outputShape = [Math.ceil(rows / chunk), channels];
    this.dispatchLayout = { x: [0, 1] };
    this.dispatch = [Math.ceil((this.outputShape[0]! * channels) / WORKGROUP_SIZE), 1, 1];
  }

  getUserCode(): string {
    return `
    fn main(index: i32) {
      if (index >= uniforms.size) {
        return;
      }
      let channels = uniforms.mShape.y;
      let c = index % channels;
      let first = (index / channels) * uniforms.chunk;
      let last = min(first + uniforms.chunk, uniforms.mShape.x);
      var sum = 0.0;
      for (var r = first; r < last; r++) {
        sum = sum + m[r * channels + c];
      }
      result[index] = sum;
    }
  `;
  }
}

/**
 * The [1, channels] column sums of m [rows, channels] in blocks of attrs.chunk, then the block sums in
 * one run (a second dispatch of the same program). Throws RangeError for a non-matrix or a chunk < 1.
 */
export const columnSumKernel: KernelFunc = (args) => {
  const { x } = args.inputs as { x: TensorInfo };
  const { chunk } = args.attrs as unknown as ColumnSumAttrs;
  const backend = args.backend as WebGPUBackend;
  if (x.shape.length !== 2 || x.dtype !== 'float32')
    throw new RangeError(
      `${COLUMN_SUM_KERNEL}: wants a float32 matrix, got ${x.dtype} [${x.shape.join(', ')}]`,
    );
  if (!Number.isInteger(chunk) || chunk < 1) throw new RangeError(`${COLUMN_SUM_KERNEL}: chunk ${chunk}`);
  const [rows, channels] = x.shape as [number, number];
  const blocks = Math.ceil(rows / chunk);
  const uniform = (n: number) => [{ type: 'int32', data: [n] }];
  const partial = backend.runWebGPUProgram(
    new ColumnBlockSumProgram(rows, channels, chunk),
    [x],
    'float32',
    uniform(chunk),
  );
  if (blocks === 1) return partial;
  try {
    return backend.runWebGPUProgram(
      new ColumnBlockSumProgram(blocks, channels, blocks),
      [partial],
      'float32',
      uniform(blocks),
    );
  } finally {
    // Safe before the queued work runs: tfjs keeps a buffer the command queue uses until it is submitted.
    backend.disposeData(partial.dataId);
  }
};

/** Registers COLUMN_SUM_KERNEL for 'webgpu' (idempotent: tfjs warns on a second registration, so once). */
let registered = false;
export function registerWebgpuColumnSum(): void {
  if (registered) return;
  registerKernel({
    kernelName: COLUMN_SUM_KERNEL,
    backendName: 'webgpu',
    kernelFunc: columnSumKernel,
  } as KernelConfig);
  registered = true;
}
