// MONAI state_dicts <-> TfModel, through safetensors: MONAI names, PyTorch layouts (conv [out, in, kd, kh,
// kw], Linear [out, in]), num_batches_tracked as I64. A MONAI state_dict saved with
// safetensors.torch.save_file loads here; what we save loads with model.load_state_dict(load_file(...)).

import { promises as fsp } from 'node:fs';
import { VoxlabError } from '../common/errors.js';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { numel } from './graph.js';
import {
  parseSafetensors,
  serializeSafetensors,
  type SafetensorsFile,
  type SafetensorsTensor,
  type TensorToWrite,
} from './safetensors.js';
import { FLOAT_DTYPES, INT_DTYPES, toFloat32, toIntegers } from './tensorValues.js';
import type { TfModel } from './tfModel.js';

/** strict (default true): missing or unexpected keys are errors, as in PyTorch's load_state_dict. */
export interface LoadWeightsOptions {
  readonly strict?: boolean;
}

/** What a load did: keys loaded, model keys the file lacked, file keys the model lacks. */
export interface LoadWeightsReport {
  readonly loaded: string[];
  readonly missing: string[];
  readonly unexpected: string[];
}

/**
 * Loads a MONAI state_dict into `model`. Everything is checked before anything is written, so a failed
 * load leaves the model unchanged. Throws WEIGHTS_MISMATCH listing missing and unexpected keys (unless
 * strict is false) and mis-shaped or mis-typed entries (always, as PyTorch does).
 */
export function loadStateDict(
  model: TfModel,
  file: SafetensorsFile,
  options: LoadWeightsOptions = {},
): LoadWeightsReport {
  const strict = options.strict ?? true;
  const keys = model.stateKeys;
  const missing = keys.filter((k) => !file.tensors.has(k));
  const known = new Set(keys);
  const unexpected = [...file.tensors.keys()].filter((k) => !known.has(k));
  const misfit: string[] = [];
  for (const key of keys) {
    const t = file.tensors.get(key);
    if (t === undefined) continue;
    const entry = model.entry(key);
    const dtypes = entry.dtype === 'I64' ? INT_DTYPES : FLOAT_DTYPES;
    if (t.shape.join() !== entry.shape.join() || !dtypes.has(t.dtype)) {
      misfit.push(
        `${key}: file ${t.dtype} [${t.shape.join(', ')}], model ${entry.dtype} [${entry.shape.join(', ')}]`,
      );
    }
  }
  if (misfit.length > 0 || (strict && (missing.length > 0 || unexpected.length > 0))) {
    throw mismatch(strict ? missing : [], strict ? unexpected : [], misfit);
  }
  const loaded = keys.filter((k) => file.tensors.has(k));
  for (const key of loaded) writeEntry(model, key, file.tensors.get(key)!);
  return { loaded, missing, unexpected };
}

function writeEntry(model: TfModel, key: string, tensor: SafetensorsTensor): void {
  if (model.entry(key).dtype === 'I64') model.setNumBatchesTracked(key, toIntegers(tensor)[0]!);
  else model.writeTorch(key, toFloat32(tensor));
}

/** The model's state_dict in MONAI's order and PyTorch's layouts, ready for serializeSafetensors. */
export function stateDictTensors(model: TfModel): [string, TensorToWrite][] {
  return model.stateKeys.map((key) => {
    const entry = model.entry(key);
    if (entry.dtype === 'I64') {
      const data = BigInt64Array.from({ length: numel(entry.shape) }, () =>
        BigInt(model.numBatchesTracked(key)),
      );
      return [key, { dtype: 'I64', shape: entry.shape, data }];
    }
    return [key, { dtype: 'F32', shape: entry.shape, data: model.readTorch(key) }];
  });
}

/** The model's state_dict as safetensors bytes (metadata {format: 'pt'} plus `metadata`). */
export function saveStateDict(model: TfModel, metadata: Record<string, string> = {}): Uint8Array {
  return serializeSafetensors(stateDictTensors(model), { format: 'pt', ...metadata });
}

/** Reads a .safetensors file into `model` (see loadStateDict). Throws IO_ERROR, WEIGHTS_INVALID or WEIGHTS_MISMATCH. */
export async function readWeightsFile(
  model: TfModel,
  filePath: string,
  options: LoadWeightsOptions = {},
): Promise<LoadWeightsReport> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await fsp.readFile(filePath));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'NOT_FOUND' : 'IO_ERROR';
    throw new VoxlabError(
      code,
      `Cannot read weights file ${filePath}: ${(e as Error).message}`,
      { path: filePath },
      { cause: e },
    );
  }
  try {
    return loadStateDict(model, parseSafetensors(bytes), options);
  } catch (e) {
    if (e instanceof VoxlabError)
      throw new VoxlabError(e.code, `${filePath}: ${e.message}`, e.details, { cause: e });
    throw e;
  }
}

/** Writes the model's state_dict to `filePath` atomically (all or nothing on a crash). */
export async function writeWeightsFile(
  model: TfModel,
  filePath: string,
  metadata: Record<string, string> = {},
): Promise<void> {
  await writeFileAtomic(filePath, saveStateDict(model, metadata));
}

const LISTED = 10;

function mismatch(missing: string[], unexpected: string[], misfit: string[]): VoxlabError {
  const list = (label: string, items: string[]) =>
    items.length === 0
      ? []
      : [
          `${items.length} ${label}: ${items.slice(0, LISTED).join('; ')}${items.length > LISTED ? `; and ${items.length - LISTED} more` : ''}`,
        ];
  const parts = [
    ...list('missing', missing),
    ...list('unexpected', unexpected),
    ...list('mis-shaped or mis-typed', misfit),
  ];
  return new VoxlabError('WEIGHTS_MISMATCH', `The weights do not fit the model: ${parts.join('. ')}`, {
    missing,
    unexpected,
    misfit,
  });
}
