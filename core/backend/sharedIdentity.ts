// Identity (tf.clone; the engine's copy of every tensor a gradient saves) for the 'wasm' backend without a
// copy: the result shares the input's heap buffer and takes a reference on it, as tfjs-backend-cpu's
// Identity does. tfjs-backend-wasm 4.22 copies instead: ~2,500 copies (0.23 s) per DenseNet121-3D training
// step at 96^3, and the tape kept both copies alive. Tensors are immutable in tfjs, so sharing is exact.

import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackend } from './wasmHeap.js';

/** The same data under a new reference (released by the engine like any other output). */
export function sharedIdentity(backend: WasmBackend, x: TensorInfo): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}
