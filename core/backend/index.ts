// core/backend: choosing the TensorFlow.js backend at run time, and voxlab's XNNPACK-based Conv3D
// kernels for the wasm backend (issue #3, "Backends").

export {
  initBackend,
  type BackendCandidate,
  type BackendOptions,
  type BackendPreference,
  type BackendReport,
} from './selectBackend.js';
export { registerWasmConv3dKernels, wasmConv3dKernelsRegistered } from './registerWasmConv3d.js';
export { loadWasmBackend, MAX_WASM_THREADS, type WasmLoadResult } from './wasmThreaded.js';
