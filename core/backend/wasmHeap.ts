// Raw access to the tfjs wasm backend for kernels composed from its XNNPACK kernels: typed views on the
// wasm heap, allocation and release of intermediate tensors, and direct calls of the stock Conv2D and
// BatchMatMul kernel functions. Intermediates made here never reach the tfjs engine, so every one must
// be released with `release` (the kernels' tests check the backend's data-id count).

import { getKernel, util, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export type WasmBackend = BackendWasm;

/** A shape-only view of a tensor: same data, another shape (e.g. [N, D, H, W, C] seen as [N*D, H, W, C]). */
export function reshaped(info: TensorInfo, shape: number[]): TensorInfo {
  if (util.sizeFromShape(shape) !== util.sizeFromShape(info.shape)) {
    throw new Error(`reshaped: cannot view [${info.shape.join(', ')}] as [${shape.join(', ')}]`);
  }
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

/** A view of the first elements of a tensor's data under a smaller shape (the last, partial chunk). */
export function prefixView(info: TensorInfo, shape: number[]): TensorInfo {
  if (util.sizeFromShape(shape) > util.sizeFromShape(info.shape)) {
    throw new Error(`prefixView: [${shape.join(', ')}] is larger than [${info.shape.join(', ')}]`);
  }
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

/** A new float32 tensor on the wasm heap, contents undefined (malloc, not zeroed). */
export function allocate(backend: WasmBackend, shape: number[]): TensorInfo {
  return backend.makeOutput(shape, 'float32');
}

/** Releases intermediates made by `allocate` or by a kernel call. */
export function release(backend: WasmBackend, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/**
 * A Float32Array over a tensor's bytes on the heap. Take views only after the last allocation a step
 * makes: a heap that grows replaces its buffer, and the single-threaded build detaches old views.
 */
export function heapF32(backend: WasmBackend, info: TensorInfo): Float32Array {
  const module = backend.wasm as unknown as { wasmMemory?: { buffer: ArrayBufferLike }; HEAPU8: Uint8Array };
  const buffer = module.wasmMemory?.buffer ?? module.HEAPU8.buffer;
  const { memoryOffset } = backend.dataIdMap.get(info.dataId) as { memoryOffset: number };
  return new Float32Array(buffer, memoryOffset, util.sizeFromShape(info.shape));
}

/**
 * A tensor over `shape` floats of `base`'s heap bytes starting `offset` floats in, WITHOUT a copy: a new
 * data id (so XNNPACK, which caches packed weights by id, never mistakes it for another operand) that
 * owns no memory. Release it with releaseView, never with release (that would free `base`'s bytes).
 * Throws RangeError when the view would run past the end of `base`.
 */
export function heapView(
  backend: WasmBackend,
  base: TensorInfo,
  offset: number,
  shape: number[],
): TensorInfo {
  const size = util.sizeFromShape(shape);
  const baseSize = util.sizeFromShape(base.shape);
  if (!Number.isInteger(offset) || offset < 0 || offset + size > baseSize)
    throw new RangeError(`heapView: [${offset}, ${offset + size}) is outside a tensor of ${baseSize} floats`);
  const { memoryOffset } = backend.dataIdMap.get(base.dataId) as { memoryOffset: number };
  return backend.makeOutput(shape, 'float32', memoryOffset + 4 * offset);
}

/** Forgets views made by heapView (and the XNNPACK operators cached for them); frees no memory. */
export function releaseView(backend: WasmBackend, ...views: TensorInfo[]): void {
  const bridge = (backend.wasm as unknown as { tfjs: { disposeData(id: number): void } }).tfjs;
  for (const view of views) {
    const { id } = backend.dataIdMap.get(view.dataId) as { id: number };
    backend.dataIdMap.delete(view.dataId);
    bridge.disposeData(id);
  }
}

/** Calls a kernel registered for 'wasm' directly (no engine bookkeeping); the caller owns the result. */
export function runWasmKernel(
  name: string,
  backend: WasmBackend,
  inputs: Record<string, TensorInfo>,
  attrs: NamedAttrMap,
): TensorInfo {
  const kernel = getKernel(name, 'wasm');
  if (kernel == null)
    throw new Error(`runWasmKernel: no '${name}' kernel is registered for the wasm backend`);
  return kernel.kernelFunc({ inputs, attrs, backend }) as TensorInfo;
}

/** 2-D padding as XNNPACK takes it: rows above/below, columns left/right. */
export interface Pad2d {
  readonly top: number;
  readonly bottom: number;
  readonly left: number;
  readonly right: number;
}

/**
 * XNNPACK conv2d through the stock kernel: x [batch, height, width, inC] (NHWC), filter
 * [kh, kw, inC, outC] → [batch, outH, outW, outC]. Explicit padding; dilation applies to the filter.
 */
export function conv2d(
  backend: WasmBackend,
  x: TensorInfo,
  filter: TensorInfo,
  strides: [number, number],
  pad: Pad2d,
  dilations: [number, number] = [1, 1],
): TensorInfo {
  const explicit = [
    [0, 0],
    [pad.top, pad.bottom],
    [pad.left, pad.right],
    [0, 0],
  ];
  return runWasmKernel('Conv2D', backend, { x, filter }, {
    strides,
    pad: explicit,
    dilations,
    dataFormat: 'NHWC',
    dimRoundingMode: undefined,
  } as unknown as NamedAttrMap);
}

/** XNNPACK matrix product a [m, k] x b [k, n] → [m, n] (no transposes: those take a slow path). */
export function matMul(backend: WasmBackend, a: TensorInfo, b: TensorInfo): TensorInfo {
  const out = runWasmKernel('BatchMatMul', backend, { a, b }, { transposeA: false, transposeB: false });
  const [m, n] = [a.shape[a.shape.length - 2]!, b.shape[b.shape.length - 1]!];
  return reshaped(out, [m, n]);
}

/** Rows per block of transposedMatrix: a block's rows stay in cache while its columns are written. */
const TRANSPOSE_BLOCK = 32;

/**
 * The [cols, rows] transpose of a row-major [rows, cols] matrix, as a new tensor the caller releases
 * (see transposeInto).
 */
export function transposedMatrix(
  backend: WasmBackend,
  m: TensorInfo,
  rows: number,
  cols: number,
): TensorInfo {
  const out = allocate(backend, [cols, rows]);
  transposeInto(heapF32(backend, m), rows, cols, heapF32(backend, out));
  return out;
}

/**
 * dst[j*rows + i] = src[i*cols + j] for the row-major [rows, cols] matrix at the start of src. Blocked by
 * rows, so that each output row gets runs of TRANSPOSE_BLOCK consecutive writes (1.5-1.8x faster than
 * one scattered write per element for [2*24^3, 128-224]).
 */
export function transposeInto(src: Float32Array, rows: number, cols: number, dst: Float32Array): void {
  for (let i0 = 0; i0 < rows; i0 += TRANSPOSE_BLOCK) {
    const i1 = Math.min(rows, i0 + TRANSPOSE_BLOCK);
    for (let j = 0; j < cols; j++) {
      for (let i = i0, s = i0 * cols + j, d = j * rows + i0; i < i1; i++, s += cols, d++) dst[d] = src[s]!;
    }
  }
}
