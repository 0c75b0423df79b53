// Conv3D forward as a register-tiled implicit GEMM in WGSL, for tfjs's 'webgpu' backend (issue #12: "if a
// WGSL kernel of ours beats tfjs's (tiled Conv3D as implicit GEMM), use it"). The NDHWC filter
// [kd, kh, kw, in, out] is already the GEMM's K x N matrix (K = kd * kh * kw * in, row-major), and the
// im2col matrix is never built: each invocation gathers the input rows of `tileM` output voxels (adjacent
// along width) and accumulates a tileM x tileN block of the output from them. tfjs's Conv3DNaiveProgram
// computes one output value per invocation and loads an input and a filter value for every multiply-add;
// here each loaded value feeds tileN (input) or tileM (filter) multiply-adds.

import type { backend_util } from '@tensorflow/tfjs-core';
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

/** How the program tiles the output; each combination is one pipeline for every shape. */
export interface Conv3dTiling {
  /** Output voxels per invocation, adjacent along width. */
  readonly tileM: number;
  /** Output channels per invocation, in vec4 columns: tileN = 4 * vec4Columns. */
  readonly vec4Columns: number;
  /**
   * How values are read: 'vec4', input and filter as vec4 (4 in channels, 4 out channels), output written
   * as vec4: in channels a multiple of 4, out channels of 4 * vec4Columns. 'scalarIn': input as scalars,
   * filter and output as vec4: out channels a multiple of 4 * vec4Columns (the stem's single in channel).
   * 'scalar': any channel counts.
   */
  readonly reads: 'vec4' | 'scalarIn' | 'scalar';
}

/**
 * The tiling for in channels `ci` and out channels `co`: 4 voxels x 8 channels per invocation (4 where 8
 * do not divide vec4 out channels, or there are no more), read as vec4 where the channel counts allow.
 * Among 2-8 voxels x 4-32 channels, 4 x 8 was about the fastest measured on SwiftShader for DenseNet121's
 * 3x3x3 and 1x1x1 convolutions; 16 voxels made SwiftShader's shader compiler run for minutes.
 */
export function conv3dTiling(ci: number, co: number): Conv3dTiling {
  const reads = co % 4 !== 0 ? 'scalar' : ci % 4 === 0 ? 'vec4' : 'scalarIn';
  const vec4Columns = (reads === 'scalar' ? co > 4 : co % 8 === 0) ? 2 : 1;
  return { tileM: 4, vec4Columns, reads };
}

/** Invocations per workgroup, along the output voxels; all of one workgroup share its output channels. */
export const WORKGROUP_SIZE = 64;

type Triple = readonly [number, number, number];

/**
 * What the program computes: output NDHWC [batch, depth, height, width, out channels] from an input with
 * `inChannels` channels (its spatial shape comes from the input tensor) and a [kd, kh, kw, in, out] filter,
 * each of pads, strides and dilations given as [depth, height, width] (pads: before each axis).
 */
export interface Conv3dGeometry {
  readonly outShape: readonly [number, number, number, number, number];
  readonly inChannels: number;
  readonly filter: Triple;
  readonly pads: Triple;
  readonly strides: Triple;
  readonly dilations: Triple;
}

/** The geometry of the convolution tfjs describes by `info`. */
export function geometryOf(info: backend_util.Conv3DInfo): Conv3dGeometry {
  return {
    outShape: info.outShape,
    inChannels: info.inChannels,
    filter: [info.filterDepth, info.filterHeight, info.filterWidth],
    pads: [info.padInfo.front, info.padInfo.top, info.padInfo.left],
    strides: [info.strideDepth, info.strideHeight, info.strideWidth],
    dilations: [info.dilationDepth, info.dilationHeight, info.dilationWidth],
  };
}

/**
 * The program for `geometry` (NDHWC, float32). Its uniforms after tfjs's own (x, W and output shapes):
 * pads, strides, dilations, filterDims (each [depth, height, width]), tilesW (ceil(outWidth / tileM)) and
 * numTiles (batch * outDepth * outHeight * tilesW). conv3dUniforms gives them in that order.
 */
export class Conv3dTiledProgram implements WebGPUProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[]; y: number[] };
  dispatch: [number, number, number];
  variableNames = ['x', 'W'];
  variableComponents: number[];
  outputComponent: number;
  uniforms =
    'pads: vec3<i32>, strides: vec3<i32>, dilations: vec3<i32>, filterDims: vec3<i32>, tilesW: i32, numTiles: i32,';
  workgroupSize: [number, number, number] = [WORKGROUP_SIZE, 1, 1];
  private readonly tiling: Conv3dTiling;

  /** Throws when `tiling`'s reads do not fit the geometry's channel counts (see Conv3dTiling.reads). */
  constructor(geometry: Conv3dGeometry, tiling: Conv3dTiling) {
    const tileN = 4 * tiling.vec4Columns;
    const [ci, co] = [geometry.inChannels, geometry.outShape[4]];
    if ((tiling.reads !== 'scalar' && co % tileN !== 0) || (tiling.reads === 'vec4' && ci % 4 !== 0))
      throw new Error(
        `Conv3dTiledProgram: ${tiling.reads} reads with ${tileN}-channel tiles do not fit ${ci} -> ${co} channels`,
      );
    this.tiling = tiling;
    this.outputShape = [...geometry.outShape];
    const vec4Out = tiling.reads !== 'scalar';
    this.variableComponents = [tiling.reads === 'vec4' ? 4 : 1, vec4Out ? 4 : 1];
    this.outputComponent = vec4Out ? 4 : 1;
    // Not a flat layout, so tfjs's _start calls main() and the shader reads globalId itself.
    this.dispatchLayout = { x: [0, 1, 2, 3], y: [4] };
    const numTiles = conv3dTiles(geometry, tiling.tileM).numTiles;
    this.dispatch = [Math.ceil(numTiles / WORKGROUP_SIZE), Math.ceil(co / tileN), 1];
    this.shaderKey = `voxlabConv3dTiled_${tiling.tileM}_${tiling.vec4Columns}_${tiling.reads}`;
  }

  getUserCode(): string {
    return conv3dShader(this.tiling);
  }
}

/** tilesW and numTiles of `geometry` with `tileM` voxels per invocation. */
export function conv3dTiles(geometry: Conv3dGeometry, tileM: number): { tilesW: number; numTiles: number } {
  const [n, od, oh, ow] = geometry.outShape;
  const tilesW = Math.ceil(ow / tileM);
  return { tilesW, numTiles: n * od * oh * tilesW };
}

/** The program-defined uniforms of Conv3dTiledProgram for `geometry`, as runWebGPUProgram takes them. */
export function conv3dUniforms(geometry: Conv3dGeometry, tileM: number): { type: 'int32'; data: number[] }[] {
  const { tilesW, numTiles } = conv3dTiles(geometry, tileM);
  return [geometry.pads, geometry.strides, geometry.dilations, geometry.filter, [tilesW], [numTiles]].map(
    (data) => ({ type: 'int32', data: [...data] }),
  );
}

/** Repeats `f(i)` for i in [0, n), joined by newlines (the shader's unrolled register tile). */
const each = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('\n');

/**
 * The WGSL of main() for `tiling`. Invocation globalId.x takes output row tile t (voxels ow0 .. ow0 + tileM - 1
 * of one (batch, depth, height) row), workgroup y the output channels co0 .. co0 + tileN - 1. For each
 * filter row (kd, kh) inside the volume: when every voxel's window row lies inside the input and the width
 * dilation is 1, the window row's kw x in values are contiguous in both the input and the filter, and one
 * loop of filterWidth * in steps covers them (the stem's 7 x 1, a 3x3x3's 3 x in). Otherwise (padding,
 * the row's last tile, dilation) one loop per kw, where input voxels outside the volume and output voxels
 * past the row's end read a clamped, in-bounds index and are multiplied by 0. Output channels past the
 * last ('scalar' reads) are computed from clamped filter reads and not written.
 */
function conv3dShader({ tileM: M, vec4Columns: V, reads }: Conv3dTiling): string {
  const acc = (p: number, v: number) => `acc${p}_${v}`;
  const body = (masked: boolean) =>
    reads === 'vec4'
      ? vec4Body(M, V, masked)
      : reads === 'scalarIn'
        ? scalarInBody(M, V, masked)
        : scalarBody(M, V, masked);
  const store =
    reads !== 'scalar'
      ? each(M, (p) =>
          each(
            V,
            (v) =>
              `if (ow0 + ${p} < OW) { result[(outRow + ow0 + ${p}) * (Co / 4) + co0 / 4 + ${v}] = ${acc(p, v)}; }`,
          ),
        )
      : each(M, (p) =>
          each(V * 4, (j) => {
            const v = Math.floor(j / 4);
            return `if (ow0 + ${p} < OW && co0 + ${j} < Co) { result[(outRow + ow0 + ${p}) * Co + co0 + ${j}] = ${acc(p, v)}[${j % 4}]; }`;
          }),
        );
  return `
    fn main() {
      let t = i32(globalId.x);
      if (t >= uniforms.numTiles) {
        return;
      }
      let co0 = i32(globalId.y) * ${4 * V};
      let D = uniforms.xShape.y;
      let H = uniforms.xShape.z;
      let IW = uniforms.xShape.w;
      let Ci = uniforms.xShape.u;
      let Co = uniforms.outShape.u;
      let OW = uniforms.outShape.w;
      let fW = uniforms.filterDims.z;
      let owt = t % uniforms.tilesW;
      let row = t / uniforms.tilesW;
      let oh = row % uniforms.outShape.z;
      let od = (row / uniforms.outShape.z) % uniforms.outShape.y;
      let n = row / (uniforms.outShape.z * uniforms.outShape.y);
      let ow0 = owt * ${M};
      let outRow = row * OW;
      let corner = vec3<i32>(od, oh, ow0) * uniforms.strides - uniforms.pads;
      let sw = uniforms.strides.z;
      // Whole window rows inside the input for every voxel of the tile: the contiguous loop applies.
      let rowsInside = uniforms.dilations.z == 1 && ow0 + ${M - 1} < OW && corner.z >= 0 &&
          corner.z + ${M - 1} * sw + fW - 1 < IW;
      ${each(M, (p) => each(V, (v) => `var ${acc(p, v)} = vec4<f32>(0.0);`))}
      for (var kd = 0; kd < uniforms.filterDims.x; kd++) {
        let xd = corner.x + kd * uniforms.dilations.x;
        if (xd < 0 || xd >= D) {
          continue;
        }
        for (var kh = 0; kh < uniforms.filterDims.y; kh++) {
          let xh = corner.y + kh * uniforms.dilations.y;
          if (xh < 0 || xh >= H) {
            continue;
          }
          let xRow = ((n * D + xd) * H + xh) * IW;
          if (rowsInside) {
            let kBase = (kd * uniforms.filterDims.y + kh) * fW * Ci;
            let kCount = fW * Ci;
            ${each(M, (p) => `let x${p} = (xRow + corner.z + ${p} * sw) * Ci;`)}
            ${body(false)}
            continue;
          }
          for (var kw = 0; kw < fW; kw++) {
            let xw = corner.z + kw * uniforms.dilations.z;
            let kBase = ((kd * uniforms.filterDims.y + kh) * fW + kw) * Ci;
            let kCount = Ci;
            ${each(
              M,
              (p) => `let w${p} = xw + ${p} * sw;
            let f${p} = select(0.0, 1.0, w${p} >= 0 && w${p} < IW && ow0 + ${p} < OW);
            let x${p} = (xRow + clamp(w${p}, 0, IW - 1)) * Ci;`,
            )}
            ${body(true)}
          }
        }
      }
      ${store}
    }
  `;
}

/** ` * f<p>` where the input read of voxel p may lie outside the volume (the per-kw loop), else ''. */
const mask = (masked: boolean, p: number) => (masked ? ` * f${p}` : '');

/**
 * Loop over the K rows kBase .. kBase + kCount - 1, 4 at a time (kCount and Ci multiples of 4): x and W are
 * array<vec4<f32>>, Co a multiple of 4. Input voxel p's values for these rows start at x<p>.
 */
function vec4Body(M: number, V: number, masked: boolean): string {
  return `
            let co4 = Co / 4;
            for (var c = 0; c < kCount; c += 4) {
              let wi = ((kBase + c) * Co + co0) / 4;
              ${each(V, (v) => each(4, (j) => `let w${j}_${v} = W[wi + ${j} * co4 + ${v}];`))}
              ${each(
                M,
                (p) => `let xv${p} = x[(x${p} + c) / 4]${mask(masked, p)};
              ${each(V, (v) => `acc${p}_${v} += xv${p}.x * w0_${v} + xv${p}.y * w1_${v} + xv${p}.z * w2_${v} + xv${p}.w * w3_${v};`)}`,
              )}
            }`;
}

/** The same loop one K row at a time: scalar input reads, vec4 filter reads (Co a multiple of 4). */
function scalarInBody(M: number, V: number, masked: boolean): string {
  return `
            for (var c = 0; c < kCount; c++) {
              let wi = ((kBase + c) * Co + co0) / 4;
              ${each(V, (v) => `let w_${v} = W[wi + ${v}];`)}
              ${each(
                M,
                (p) => `let xv${p} = x[x${p} + c]${mask(masked, p)};
              ${each(V, (v) => `acc${p}_${v} += xv${p} * w_${v};`)}`,
              )}
            }`;
}

/** The same loop with scalar reads throughout; filter columns past Co read a clamped index. */
function scalarBody(M: number, V: number, masked: boolean): string {
  return `
            let wLast = uniforms.filterDims.x * uniforms.filterDims.y * fW * Ci * Co - 1;
            for (var c = 0; c < kCount; c++) {
              let wi = (kBase + c) * Co + co0;
              ${each(
                V,
                (v) =>
                  `let w_${v} = vec4<f32>(${each(4, (j) => `W[min(wi + ${4 * v + j}, wLast)]`).replace(/\n/g, ', ')});`,
              )}
              ${each(
                M,
                (p) => `let xv${p} = x[x${p} + c]${mask(masked, p)};
              ${each(V, (v) => `acc${p}_${v} += xv${p} * w_${v};`)}`,
              )}
            }`;
}
