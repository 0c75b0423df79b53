// Test helpers: switch tfjs to the `cpu` or `wasm` backend in Node, and read the shared MONAI reference
// files (shared/ sits beside the repository).

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { initBackend } from '../../backend/index.js';

/**
 * The shared MONAI reference folder (densenet_tiny.safetensors, input_32.f32, reference.json): under
 * $VOXLAB_SHARED when set (a test's child process built outside the repository gets it), else beside the
 * repository.
 */
export const MONAI_REFERENCE =
  process.env.VOXLAB_SHARED !== undefined && process.env.VOXLAB_SHARED !== ''
    ? pathToFileURL(`${process.env.VOXLAB_SHARED.replace(/\/$/, '')}/reference/monai/`)
    : new URL('../../../../shared/reference/monai/', import.meta.url);

/**
 * Makes `name` the tfjs backend. wasm is voxlab's own setup (threads, our Conv3D kernels) through
 * initBackend, so model tests run the kernels training runs.
 */
export async function useBackend(name: 'cpu' | 'wasm'): Promise<void> {
  if (name === 'wasm') {
    const report = await initBackend({ prefer: 'wasm' });
    if (report.backend !== 'wasm') throw new Error(`useBackend: wasm did not initialise: ${JSON.stringify(report.candidates)}`);
    return;
  }
  if (!(await tf.setBackend(name))) throw new Error(`useBackend: tfjs backend ${name} did not initialise`);
  await tf.ready();
}

/** A file of the MONAI reference folder as bytes. */
export function referenceBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(name, MONAI_REFERENCE)));
}

/** Raw little-endian float32 values (e.g. input_32.f32, NCDHW C order). */
export function referenceFloat32(name: string): Float32Array {
  const bytes = referenceBytes(name);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Float32Array.from({ length: bytes.byteLength / 4 }, (_, i) => view.getFloat32(4 * i, true));
}
