// core/backend: choosing the TensorFlow.js backend at run time, voxlab's XNNPACK-based Conv3D kernels for
// the wasm backend (issue #3, "Backends"), and WebGPU through Dawn (issue #12, webgpu/).

export {
  BACKEND_PREFERENCES,
  initBackend,
  type BackendCandidate,
  type BackendOptions,
  type BackendPreference,
  type BackendReport,
} from './selectBackend.js';
export { adapterName, type AdapterDescription } from './webgpu/describeAdapter.js';
export { webgpuDeviceErrors } from './webgpu/startWebgpu.js';
export { registerWasmConv3dKernels, wasmConv3dKernelsRegistered } from './registerWasmConv3d.js';
export { loadWasmBackend, MAX_WASM_THREADS, type WasmLoadResult } from './wasmThreaded.js';
