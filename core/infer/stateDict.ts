// A network's float weights by MONAI state_dict key in PyTorch layout, as the ONNX exporter reads them:
// from a safetensors file (checked against the description), or freshly initialised from a seed.

import { VoxlabError } from '../common/errors.js';
import { SeededRandom } from '../common/random.js';
import {
  numel,
  stateEntries,
  toFloat32,
  type ModelDescription,
  type SafetensorsFile,
} from '../model/index.js';
import { initialValues } from '../model/init.js';

/**
 * Float state_dict entries by key (e.g. `features.conv0.weight`), PyTorch layout, C order: conv weights
 * [out, in, kd, kh, kw], Linear [out, in], BatchNorm vectors [channels]. num_batches_tracked is not needed.
 */
export type StateDict = ReadonlyMap<string, Float32Array>;

/**
 * The float entries `description` needs, read from a parsed safetensors file (any float dtype widens to
 * float32). Throws WEIGHTS_MISMATCH naming missing, unexpected or mis-shaped keys, as PyTorch's strict
 * load_state_dict would.
 */
export function stateDictFromSafetensors(file: SafetensorsFile, description: ModelDescription): StateDict {
  const entries = stateEntries(description);
  const known = new Set(entries.map((e) => e.key));
  const missing = entries.filter((e) => !file.tensors.has(e.key)).map((e) => e.key);
  const unexpected = [...file.tensors.keys()].filter((k) => !known.has(k));
  const misfit = entries
    .filter((e) => e.dtype === 'F32' && file.tensors.has(e.key))
    .filter((e) => file.tensors.get(e.key)!.shape.join() !== e.shape.join())
    .map(
      (e) => `${e.key}: file [${file.tensors.get(e.key)!.shape.join(', ')}], model [${e.shape.join(', ')}]`,
    );
  if (missing.length + unexpected.length + misfit.length > 0) {
    const list = (label: string, items: string[]) =>
      items.length === 0
        ? []
        : [`${items.length} ${label}: ${items.slice(0, 5).join('; ')}${items.length > 5 ? '; ...' : ''}`];
    const parts = [
      ...list('missing', missing),
      ...list('unexpected', unexpected),
      ...list('mis-shaped', misfit),
    ];
    throw new VoxlabError(
      'WEIGHTS_MISMATCH',
      `The weights do not fit the ${description.family} model: ${parts.join('. ')}`,
      {
        missing,
        unexpected,
        misfit,
      },
    );
  }
  const out = new Map<string, Float32Array>();
  for (const e of entries) {
    if (e.dtype !== 'F32') continue;
    try {
      out.set(e.key, toFloat32(file.tensors.get(e.key)!));
    } catch (err) {
      throw new VoxlabError(
        'WEIGHTS_MISMATCH',
        `${e.key} is not a float tensor (${file.tensors.get(e.key)!.dtype})`,
        { key: e.key },
        { cause: err },
      );
    }
  }
  return out;
}

/** Fresh weights with MONAI's initialisers drawn from SeededRandom(seed), as createDenseNet draws them. */
export function initialStateDict(description: ModelDescription, seed = 0): StateDict {
  const random = new SeededRandom(seed);
  const out = new Map<string, Float32Array>();
  for (const e of stateEntries(description)) {
    const values = initialValues(e, random);
    if (e.dtype === 'F32') out.set(e.key, values);
  }
  return out;
}

/** The entry `key` of `state`, checked against its expected element count. Throws WEIGHTS_MISMATCH. */
export function stateValue(state: StateDict, key: string, shape: readonly number[]): Float32Array {
  const v = state.get(key);
  if (v === undefined)
    throw new VoxlabError('WEIGHTS_MISMATCH', `The weights lack ${key}`, { missing: [key] });
  if (v.length !== numel(shape))
    throw new VoxlabError(
      'WEIGHTS_MISMATCH',
      `${key} has ${v.length} values, the model needs [${shape.join(', ')}]`,
      { key },
    );
  return v;
}
