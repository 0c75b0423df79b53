// Reads a PyTorch checkpoint (.pt/.pth as torch.save writes since PyTorch 1.6: a zip archive holding
// <prefix>/data.pkl and one entry <prefix>/data/<key> per storage) into the form the safetensors path
// uses, with our restricted unpickler: nothing in the file is executed. Legacy (pre-1.6) files and
// TorchScript archives are refused with what to do instead.

import type { SafetensorsFile, SafetensorsTensor } from '../../model/safetensors.js';
import { checkpointError } from './checkpointError.js';
import { findStateDict } from './findStateDict.js';
import { tensorBytes } from './tensorBytes.js';
import { torchPolicy } from './torchPolicy.js';
import { unpickle } from './unpickle.js';
import { isZip, readZip, type ZipArchive } from './zip.js';

const RESAVE = 'in Python, load it and save it again with torch.save(model.state_dict(), path) in PyTorch 1.6 or newer';

/** True when `bytes` could be a torch.save file (a zip archive; readPytorchCheckpoint says more). */
export function looksLikePytorch(bytes: Uint8Array): boolean {
  return isZip(bytes);
}

/**
 * The state_dict of a torch.save file, as tensors of their own dtype (F32, F64, F16, BF16, I64, ...) in C
 * order over their shapes; metadata {format: 'pt'}. The state_dict may be the whole file or sit under
 * 'state_dict', 'model', 'model_state_dict' or 'network' (other entries, e.g. an optimizer's state, are
 * read under the same rules and ignored); a 'module.' prefix on every key (DataParallel) is removed.
 * `name` (the file's name) starts every message. Throws WEIGHTS_INVALID for anything else, including a
 * pickle that names a global outside the allow-list (torchPolicy.ts).
 */
export function readPytorchCheckpoint(bytes: Uint8Array, name: string): SafetensorsFile {
  const archive = openArchive(bytes, name);
  const prefix = pickleFolder(archive, name);
  const storageEntry = (key: string) => `${prefix}/data/${key}`;
  const version = archive.entries.has(`${prefix}/byteorder`)
    ? new TextDecoder().decode(archive.read(`${prefix}/byteorder`))
    : 'little';
  if (version !== 'little')
    throw checkpointError(name, `it was written on a ${version}-endian machine, which voxlab does not read`, 'byteorder');
  const policy = torchPolicy(name, (key) => archive.entries.get(storageEntry(key))?.size);
  const root = unpickle(archive.read(`${prefix}/data.pkl`), name, policy);
  const found = findStateDict(root, name);
  const read = new Map<string, Uint8Array>();
  const tensors = new Map<string, SafetensorsTensor>();
  for (const [key, tensor] of found) {
    const entry = storageEntry(tensor.storage.key);
    let storage = read.get(entry);
    if (storage === undefined) {
      storage = archive.read(entry);
      read.set(entry, storage);
    }
    tensors.set(key, tensorBytes(tensor, storage));
  }
  return { tensors, metadata: { format: 'pt' } };
}

function openArchive(bytes: Uint8Array, name: string): ZipArchive {
  if (isZip(bytes)) return readZip(bytes, name);
  if (bytes.length >= 2 && bytes[0] === 0x80 && bytes[1]! <= 5)
    throw checkpointError(
      name,
      `it was saved in PyTorch's legacy format (before PyTorch 1.6, or with _use_new_zipfile_serialization=False), which voxlab does not read: ${RESAVE}`,
      'legacy',
    );
  if (bytes.length >= 262 && new TextDecoder().decode(bytes.subarray(257, 262)) === 'ustar')
    throw checkpointError(name, `it is a tar archive from a very old PyTorch, which voxlab does not read: ${RESAVE}`, 'legacy');
  throw checkpointError(name, 'it is not a PyTorch checkpoint (torch.save writes a zip archive; this file is not one)', 'not-pytorch');
}

/** The folder holding data.pkl; refuses TorchScript archives (torch.jit.save) and zips torch.save did not write. */
function pickleFolder(archive: ZipArchive, name: string): string {
  const names = [...archive.entries.keys()];
  const pickles = names.filter((n) => /^[^/]+\/data\.pkl$/.test(n));
  const isScript = names.some((n) => /^[^/]+\/(constants\.pkl|code\/)/.test(n));
  if (isScript)
    throw checkpointError(
      name,
      'it is a TorchScript archive (torch.jit.save), a program rather than weights, which voxlab does not read: in Python, load it with torch.jit.load and save torch.save(model.state_dict(), path) instead',
      'torchscript',
    );
  if (pickles.length !== 1)
    throw checkpointError(
      name,
      pickles.length === 0
        ? 'a zip archive without <folder>/data.pkl: not a file torch.save wrote'
        : `a zip archive with ${pickles.length} data.pkl entries: not a file torch.save wrote`,
      'not-pytorch',
    );
  return pickles[0]!.slice(0, -'/data.pkl'.length);
}

