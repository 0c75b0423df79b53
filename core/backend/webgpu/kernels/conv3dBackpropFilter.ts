// Conv3DBackpropFilterV2 (the gradient of Conv3D with respect to its filter) for tfjs's 'webgpu' backend
// (issue #12): dW[kd, kh, kw, ci, co] = sum over batch and output voxels of x[.., ci] * dy[.., co], a GEMM
// whose reduction runs over every output voxel. Each invocation keeps a 4 in x 4 or 8 out channel block of
// one filter tap in registers, and loops over exactly the output voxels whose input voxel lies inside the
// volume (ranges computed once per tap), so the loop holds no bounds test. tfjs-backend-webgpu 4.22's
// Conv3DDerFilterProgram computes one value per invocation, two loads per multiply-add.

import { backend_util, type Conv3DBackpropFilterV2Attrs, type TensorInfo } from '@tensorflow/tfjs-core';
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { WORKGROUP_SIZE } from './conv3dProgram.js';

/** How the filter gradient program reads: x as vec4 (in channels % 4 = 0), dy and dW as vec4 (out % 4 = 0). */
export interface FilterGradTiling {
  readonly vec4In: boolean;
  readonly vec4Out: boolean;
  /** Out channels per invocation, in vec4 columns (4 * vec4Columns channels). */
  readonly vec4Columns: number;
}

/** The tiling for in channels `ci` and out channels `co` (8 out channels where vec4 reads allow them). */
export function filterGradTiling(ci: number, co: number): FilterGradTiling {
  const vec4Out = co % 4 === 0;
  return { vec4In: ci % 4 === 0, vec4Out, vec4Columns: (vec4Out ? co % 8 === 0 : co > 4) ? 2 : 1 };
}

/**
 * dW [kd, kh, kw, in, out] from x [batch, depth, height, width, in] and dy [batch, outDepth, outHeight,
 * outWidth, out] for `info`'s strides and padding (dilation 1). Program uniforms after tfjs's own: pads,
 * strides, filterDims ([depth, height, width] each), inGroups (ceil(in / 4)), numTiles (taps * inGroups).
 */
export class Conv3dFilterGradProgram implements WebGPUProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[]; y: number[] };
  dispatch: [number, number, number];
  variableNames = ['x', 'dy'];
  variableComponents: number[];
  outputComponent: number;
  uniforms = 'pads: vec3<i32>, strides: vec3<i32>, filterDims: vec3<i32>, inGroups: i32, numTiles: i32,';
  workgroupSize: [number, number, number] = [WORKGROUP_SIZE, 1, 1];
  private readonly tiling: FilterGradTiling;

  /** Throws when `tiling` does not fit `info`'s channel counts. */
  constructor(info: backend_util.Conv3DInfo, tiling: FilterGradTiling) {
    const tileN = 4 * tiling.vec4Columns;
    if ((tiling.vec4In && info.inChannels % 4 !== 0) || (tiling.vec4Out && info.outChannels % tileN !== 0))
      throw new Error(
        `Conv3dFilterGradProgram: ${JSON.stringify(tiling)} does not fit ${info.inChannels} -> ${info.outChannels} channels`,
      );
    this.tiling = tiling;
    this.outputShape = [...info.filterShape];
    this.variableComponents = [tiling.vec4In ? 4 : 1, tiling.vec4Out ? 4 : 1];
    this.outputComponent = tiling.vec4Out ? 4 : 1;
    this.dispatchLayout = { x: [0, 1, 2, 3], y: [4] };
    const { numTiles } = filterGradTiles(info);
    this.dispatch = [Math.ceil(numTiles / WORKGROUP_SIZE), Math.ceil(info.outChannels / tileN), 1];
    const { vec4In, vec4Out, vec4Columns } = tiling;
    this.shaderKey = `voxlabConv3dFilterGrad_${vec4In}_${vec4Out}_${vec4Columns}`;
  }

  getUserCode(): string {
    return filterGradShader(this.tiling);
  }
}

function filterGradTiles(info: backend_util.Conv3DInfo): { inGroups: number; numTiles: number } {
  const inGroups = Math.ceil(info.inChannels / 4);
  return { inGroups, numTiles: info.filterDepth * info.filterHeight * info.filterWidth * inGroups };
}

/** The program-defined uniforms of Conv3dFilterGradProgram for `info`. */
export function filterGradUniforms(info: backend_util.Conv3DInfo): { type: 'int32'; data: number[] }[] {
  const { inGroups, numTiles } = filterGradTiles(info);
  return [
    [info.padInfo.front, info.padInfo.top, info.padInfo.left],
    [info.strideDepth, info.strideHeight, info.strideWidth],
    [info.filterDepth, info.filterHeight, info.filterWidth],
    [inGroups],
    [numTiles],
  ].map((data) => ({ type: 'int32', data }));
}

const each = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('\n');

/**
 * main() of the filter gradient: invocation globalId.x takes filter tap k and in channels ci0 .. ci0 + 3,
 * workgroup y the out channels co0 .. co0 + 4 * vec4Columns - 1; acc<j>_<v> holds dW[k, ci0 + j, co0 + 4v ..
 * co0 + 4v + 3]. Scalar reads clamp channels past the last to an in-bounds index; those sums are not written.
 */
function filterGradShader({ vec4In, vec4Out, vec4Columns: V }: FilterGradTiling): string {
  const readX = vec4In
    ? `let xv = x[xi / 4 + g];`
    : `let xv = vec4<f32>(${each(4, (j) => `x[xi + min(ci0 + ${j}, Ci - 1)]`).replace(/\n/g, ', ')});`;
  const readDy = vec4Out
    ? each(V, (v) => `let d${v} = dy[di / 4 + co0 / 4 + ${v}];`)
    : each(
        V,
        (v) =>
          `let d${v} = vec4<f32>(${each(4, (j) => `dy[di + min(co0 + ${4 * v + j}, Co - 1)]`).replace(/\n/g, ', ')});`,
      );
  const store = vec4Out
    ? each(4, (j) =>
        each(
          V,
          (v) =>
            `if (ci0 + ${j} < Ci) { result[((k * Ci + ci0 + ${j}) * Co + co0) / 4 + ${v}] = acc${j}_${v}; }`,
        ),
      )
    : each(4, (j) =>
        each(4 * V, (c) => {
          const v = Math.floor(c / 4);
          return `if (ci0 + ${j} < Ci && co0 + ${c} < Co) { result[(k * Ci + ci0 + ${j}) * Co + co0 + ${c}] = acc${j}_${v}[${c % 4}]; }`;
        }),
      );
  return `
    fn ceilDiv(a: i32, b: i32) -> i32 {
      return select(-((-a) / b), (a + b - 1) / b, a > 0);
    }
    fn floorDiv(a: i32, b: i32) -> i32 {
      return select(-((-a + b - 1) / b), a / b, a >= 0);
    }
    // The output voxels o in [lo, hi] whose input voxel o * stride - pad + tap lies in [0, size).
    fn validRange(tap: i32, pad: i32, stride: i32, size: i32, outSize: i32) -> vec2<i32> {
      return vec2<i32>(max(0, ceilDiv(pad - tap, stride)), min(outSize - 1, floorDiv(size - 1 + pad - tap, stride)));
    }

    fn main() {
      let t = i32(globalId.x);
      if (t >= uniforms.numTiles) {
        return;
      }
      let co0 = i32(globalId.y) * ${4 * V};
      let g = t % uniforms.inGroups;
      let k = t / uniforms.inGroups;
      let ci0 = g * 4;
      let fd = uniforms.filterDims;
      let kw = k % fd.z;
      let kh = (k / fd.z) % fd.y;
      let kd = k / (fd.z * fd.y);
      let D = uniforms.xShape.y;
      let H = uniforms.xShape.z;
      let IW = uniforms.xShape.w;
      let Ci = uniforms.xShape.u;
      let OD = uniforms.dyShape.y;
      let OH = uniforms.dyShape.z;
      let OW = uniforms.dyShape.w;
      let Co = uniforms.dyShape.u;
      let s = uniforms.strides;
      let p = uniforms.pads;
      let rd = validRange(kd, p.x, s.x, D, OD);
      let rh = validRange(kh, p.y, s.y, H, OH);
      let rw = validRange(kw, p.z, s.z, IW, OW);
      ${each(4, (j) => each(V, (v) => `var acc${j}_${v} = vec4<f32>(0.0);`))}
      for (var n = 0; n < uniforms.xShape.x; n++) {
        for (var od = rd.x; od <= rd.y; od++) {
          let xd = od * s.x - p.x + kd;
          // One depth plane's sum first, then added to the total (two-level summation, ../../columnSum.ts).
          ${each(4, (j) => each(V, (v) => `var plane${j}_${v} = vec4<f32>(0.0);`))}
          for (var oh = rh.x; oh <= rh.y; oh++) {
            let xh = oh * s.y - p.y + kh;
            let xRow = ((n * D + xd) * H + xh) * IW;
            let dyRow = ((n * OD + od) * OH + oh) * OW;
            for (var ow = rw.x; ow <= rw.y; ow++) {
              let xi = (xRow + ow * s.z - p.z + kw) * Ci;
              let di = (dyRow + ow) * Co;
              ${readX}
              ${readDy}
              ${each(4, (j) => each(V, (v) => `plane${j}_${v} += xv[${j}] * d${v};`))}
            }
          }
          ${each(4, (j) => each(V, (v) => `acc${j}_${v} += plane${j}_${v};`))}
        }
      }
      ${store}
    }
  `;
}

/**
 * dW [kd, kh, kw, in, out] (float32) for x and dy, or null when the dispatch would pass the device's limits
 * (then the stock kernel runs).
 */
export function conv3dBackpropFilterTiled(
  backend: WebGPUBackend,
  x: TensorInfo,
  dy: TensorInfo,
  attrs: Conv3DBackpropFilterV2Attrs,
): TensorInfo | null {
  const info = backend_util.computeConv3DInfo(
    x.shape as [number, number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
  );
  const program = new Conv3dFilterGradProgram(info, filterGradTiling(info.inChannels, info.outChannels));
  if (program.dispatch.some((n) => n > backend.device.limits.maxComputeWorkgroupsPerDimension)) return null;
  return backend.runWebGPUProgram(program, [x, dy], 'float32', filterGradUniforms(info));
}
