// A checkpoint tensor's bytes in C order: a view of its storage entry when the tensor is contiguous (as
// state_dict tensors are), else gathered element by element through its strides. Little-endian, as
// torch.save writes on every platform voxlab runs on (the archive's byteorder entry is checked apart).

import type { SafetensorsTensor } from '../../model/safetensors.js';
import type { PyTensor } from './pickleValues.js';
import { ELEMENT_BYTES } from './torchPolicy.js';

/**
 * The tensor's data as a SafetensorsTensor of its own dtype. `storage` is the whole storage entry, whose
 * length the policy already checked against the storage's size; the view was checked to lie inside it.
 */
export function tensorBytes(tensor: PyTensor, storage: Uint8Array): SafetensorsTensor {
  const { dtype } = tensor.storage;
  const item = ELEMENT_BYTES[dtype];
  const shape = [...tensor.shape];
  const numel = shape.reduce((a, b) => a * b, 1);
  if (numel === 0) return { dtype, shape, bytes: new Uint8Array(0) };
  if (isContiguous(shape, tensor.stride)) {
    const start = tensor.offset * item;
    return { dtype, shape, bytes: storage.subarray(start, start + numel * item) };
  }
  const out = new Uint8Array(numel * item);
  const index = new Array<number>(shape.length).fill(0);
  let source = tensor.offset;
  for (let i = 0; i < numel; i++) {
    out.set(storage.subarray(source * item, source * item + item), i * item);
    // Odometer over the index, last axis fastest; `source` follows through the strides.
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      index[axis]!++;
      source += tensor.stride[axis]!;
      if (index[axis]! < shape[axis]!) break;
      source -= index[axis]! * tensor.stride[axis]!;
      index[axis] = 0;
    }
  }
  return { dtype, shape, bytes: out };
}

/** C-order strides, ignoring axes of length 1 (whose stride PyTorch leaves arbitrary). */
function isContiguous(shape: readonly number[], stride: readonly number[]): boolean {
  let expected = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    if (shape[axis] !== 1 && stride[axis] !== expected) return false;
    expected *= shape[axis]!;
  }
  return true;
}
