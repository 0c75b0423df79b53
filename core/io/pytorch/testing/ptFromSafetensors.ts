// Test helper: a safetensors file re-written as a torch.save-like .pt (torchSaveBytes), optionally with
// DataParallel's 'module.' prefix: MONAI's reference weights as a checkpoint without Python.

import { parseSafetensors } from '../../../model/safetensors.js';
import type { StorageDtype } from '../pickleValues.js';
import { torchSaveBytes, type TensorBytesToWrite } from '../torchSaveBytes.js';

export function ptFromSafetensors(safetensors: Uint8Array, prefix = ''): Uint8Array {
  const tensors = [...parseSafetensors(safetensors).tensors].map(
    ([key, t]) => [`${prefix}${key}`, { dtype: t.dtype as StorageDtype, shape: t.shape, bytes: t.bytes.slice() }] as [string, TensorBytesToWrite],
  );
  return torchSaveBytes(tensors);
}
