// Matrix products and convolutions on ONNX Runtime's CPU kernels (MLAS, with AVX-512/AVX2 fused
// multiply-adds) for our wasm Conv3D kernels (issue #12, must-show 4: the CPU train step). tfjs's XNNPACK
// build multiplies with wasm SIMD128 (4 lanes, no FMA): ~33-36 GFLOP/s on one Zen 4 core, where MLAS ran
// [864, 1024] x [1024, 128] at ~72 GFLOP/s, [128, 27648] x [27648, 224] at ~129 and the 3x3x3 dense-layer
// convolution at ~87 (measured single-threaded in one process, on a loaded machine). tfjs kernels are synchronous, so this calls the native binding's
// synchronous run (the InferenceSession wrapper only defers that same call to setImmediate).
// onnxruntime-node is otherwise loaded in core/infer/ort/loadOrt.ts; this second, synchronous loader exists
// because a kernel cannot await that one's dynamic import. Operands must be plain (non-shared) Float32Arrays:
// the binding refuses views on the threaded wasm heap's SharedArrayBuffer.

import { dirname, join } from 'node:path';
import { OnnxGraph } from '../infer/onnx/OnnxGraph.js';
import { unpackedRequire } from '../runtime/packagedPath.js';

/** What a kernel may hand to the native library; all row-major, results written into the last array. */
export interface NativeKernels {
  /** c [m, n] = a [m, k] b [k, n]. */
  matMul(a: Float32Array, m: number, k: number, b: Float32Array, n: number, c: Float32Array): void;
  /** c [m, n] = a^T b for a [k, m], b [k, n] (a contraction over the rows of both). */
  matMulTransA(a: Float32Array, k: number, m: number, b: Float32Array, n: number, c: Float32Array): void;
  /**
   * y = ONNX Conv(x, w) in NCDHW: x [N, C, D, H, W], w [O, C, kd, kh, kw], stride 1, `pads` in ONNX order
   * [front, top, left, back, bottom, right]; y [N, O, OD, OH, OW] (its dims given by the caller).
   */
  conv3d(
    x: Float32Array,
    xDims: number[],
    w: Float32Array,
    wDims: number[],
    pads: number[],
    y: Float32Array,
    yDims: number[],
  ): void;
}

/**
 * 'auto': use ONNX Runtime when onnxruntime-node loads (else XNNPACK); 'off': never (the environment variable
 * VOXLAB_NATIVE_KERNELS=0 sets this at start). Mutable so that tests can run both paths.
 */
export const nativeKernelSettings = {
  use: (process.env.VOXLAB_NATIVE_KERNELS === '0' ? 'off' : 'auto') as 'auto' | 'off',
  /** Intra-op threads of the native kernels; set by initBackend to the wasm pool's size. */
  threads: 1,
};

interface BindingSession {
  loadModel(buffer: ArrayBufferLike, byteOffset: number, byteLength: number, options: object): void;
  run(feeds: Record<string, unknown>, fetches: Record<string, unknown>, options: object): unknown;
}
interface OrtNative {
  readonly Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => unknown;
  readonly newSession: () => BindingSession;
}

let native: OrtNative | null | undefined;
/** Why the native kernels are not available, or null when they are or were not tried. */
let unavailable: string | null = null;
const sessions = new Map<string, BindingSession>();
let sessionThreads = 0;

/** The native kernels, or null when switched off or onnxruntime-node cannot be loaded here. */
export function nativeKernels(): NativeKernels | null {
  if (nativeKernelSettings.use === 'off') return null;
  native ??= loadNative();
  if (native === null) return null;
  const ort = native;
  return {
    matMul: (a, m, k, b, n, c) => run(ort, 'matMul', { a: [a, [m, k]], b: [b, [k, n]] }, [c, [m, n]]),
    matMulTransA: (a, k, m, b, n, c) =>
      run(ort, 'matMulTransA', { a: [a, [k, m]], b: [b, [k, n]] }, [c, [m, n]]),
    conv3d: (x, xDims, w, wDims, pads, y, yDims) =>
      run(ort, `conv3d:${wDims.slice(2).join('x')}:${pads.join(',')}`, { a: [x, xDims], b: [w, wDims] }, [
        y,
        yDims,
      ]),
  };
}

/** Why nativeKernels() returns null, or null when it does not (or has not been asked yet). */
export function nativeKernelsUnavailable(): string | null {
  return nativeKernelSettings.use === 'off' ? 'switched off (VOXLAB_NATIVE_KERNELS=0)' : unavailable;
}

type Operand = [Float32Array, number[]];

function run(ort: OrtNative, op: string, inputs: Record<string, Operand>, out: Operand): void {
  const feeds: Record<string, unknown> = {};
  for (const [name, [data, dims]] of Object.entries(inputs))
    feeds[name] = new ort.Tensor('float32', data, dims);
  // A preallocated output: ORT writes the product straight into `out`.
  session(ort, op).run(feeds, { c: new ort.Tensor('float32', out[0], out[1]) }, {});
}

/**
 * One session per product kind ('matMul', 'matMulTransA', 'conv3d:<kernel>:<pads>'), all other dims
 * symbolic; rebuilt when the thread count changes.
 */
function session(ort: OrtNative, op: string): BindingSession {
  if (sessionThreads !== nativeKernelSettings.threads) {
    sessions.clear();
    sessionThreads = nativeKernelSettings.threads;
  }
  let s = sessions.get(op);
  if (s === undefined) {
    const bytes = model(op);
    s = ort.newSession();
    s.loadModel(bytes.buffer, bytes.byteOffset, bytes.byteLength, {
      intraOpNumThreads: nativeKernelSettings.threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      // No spinning between runs: ORT's idle workers would take the cores from the wasm pool's next kernel.
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    });
    sessions.set(op, s);
  }
  return s;
}

/** The one-node ONNX model of a session kind: inputs a, b, output c. */
function model(op: string): Uint8Array {
  const g = new OnnxGraph(`voxlab-${op}`);
  if (op.startsWith('conv3d:')) {
    const [, kernel, pads] = op.split(':') as [string, string, string];
    const k = kernel.split('x').map(Number);
    const a = g.input('a', ['n', 'c', 'd', 'h', 'w']);
    const b = g.input('b', ['o', 'c', ...k]);
    const attributes = [
      { name: 'kernel_shape', type: 'ints' as const, value: k },
      { name: 'pads', type: 'ints' as const, value: pads.split(',').map(Number) },
    ];
    g.output(g.node('Conv', [a, b], attributes, 'c'), null);
    return g.toBytes();
  }
  const a = g.input('a', op === 'matMul' ? ['m', 'k'] : ['k', 'm']);
  const b = g.input('b', ['k', 'n']);
  const attributes = op === 'matMul' ? [] : [{ name: 'transA', type: 'int' as const, value: 1 }];
  g.output(g.node(op === 'matMul' ? 'MatMul' : 'Gemm', [a, b], attributes, 'c'), ['m', 'n']);
  return g.toBytes();
}

/** onnxruntime-node's Tensor class and native binding (dist/binding.js of 1.30), or null when absent. */
function loadNative(): OrtNative | null {
  try {
    // The same file loadOrt imports (from app.asar.unpacked in a packed app), so one binding is loaded.
    const require = unpackedRequire(import.meta.url);
    const main = require.resolve('onnxruntime-node');
    const { Tensor } = require(main) as { Tensor: OrtNative['Tensor'] };
    const { binding, initOrt } = require(join(dirname(main), 'binding.js')) as {
      binding: { InferenceSession: new () => BindingSession };
      initOrt: () => void;
    };
    initOrt();
    return { Tensor, newSession: () => new binding.InferenceSession() };
  } catch (e) {
    // Not installed, or a build without this binding: the XNNPACK kernels remain, and the reason is kept.
    unavailable = `onnxruntime-node's native binding could not be loaded: ${(e as Error).message.split('\n')[0]}`;
    return null;
  }
}

/** Plain arrays reused between native kernel calls, by name (grown on demand; never shrunk). */
const scratchArrays = new Map<string, Float32Array>();

/**
 * A plain Float32Array of `length` floats kept under `name` between calls (its contents are whatever the
 * last user left): the native kernels' operands, which cannot live on the shared wasm heap. Fresh
 * multi-MB arrays per call would cost page faults and zeroing every time.
 */
export function nativeScratch(name: string, length: number): Float32Array {
  let a = scratchArrays.get(name);
  if (a === undefined || a.length < length) {
    a = new Float32Array(length);
    scratchArrays.set(name, a);
  }
  return a.subarray(0, length);
}
