// Where the state_dict sits in what a checkpoint unpickled to: the whole file (torch.save(model.state_dict()))
// or one level or two down in a training checkpoint: {'state_dict': ...} (Lightning and many scripts),
// {'model': ..., 'optimizer': ...} (ignite's CheckpointSaver, as MONAI bundles use it), 'model_state_dict'
// (the PyTorch tutorial), 'network'. DataParallel's 'module.' prefix is removed when every key has it.

import { checkpointError } from './checkpointError.js';
import { PyDict, PyTensor, pyTypeName, type PyValue } from './pickleValues.js';

/** Keys under which checkpoints keep the model's state_dict, in the order they are tried. */
export const WRAPPER_KEYS = ['state_dict', 'model', 'model_state_dict', 'network'] as const;
/** How many wrappers deep to look ({'state_dict': {'model': sd}} is two). */
const MAX_WRAPPERS = 2;
const DDP_PREFIX = 'module.';

/**
 * The state_dict's tensors by key, in file order. Throws WEIGHTS_INVALID naming `name` when `root` is not
 * a dict of tensors and wraps none under WRAPPER_KEYS.
 */
export function findStateDict(root: PyValue, name: string): Map<string, PyTensor> {
  const found = search(root, MAX_WRAPPERS);
  if (found === null) throw checkpointError(name, `it holds no state_dict: ${describe(root)}`, 'no-state-dict');
  const keys = [...found.keys()];
  if (!keys.every((k) => k.startsWith(DDP_PREFIX))) return found;
  return new Map(keys.map((k) => [k.slice(DDP_PREFIX.length), found.get(k)!]));
}

function search(value: PyValue, wrappers: number): Map<string, PyTensor> | null {
  const direct = asStateDict(value);
  if (direct !== null || wrappers === 0 || !(value instanceof PyDict)) return direct;
  for (const key of WRAPPER_KEYS) {
    const inner = value.get(key);
    if (inner === undefined) continue;
    const found = search(inner, wrappers - 1);
    if (found !== null) return found;
  }
  return null;
}

/** `value` as a state_dict: a non-empty dict whose keys are strings and whose values are all tensors. */
function asStateDict(value: PyValue): Map<string, PyTensor> | null {
  if (!(value instanceof PyDict) || value.size === 0) return null;
  const out = new Map<string, PyTensor>();
  for (const [key, tensor] of value.entries.values()) {
    if (typeof key !== 'string' || !(tensor instanceof PyTensor)) return null;
    out.set(key, tensor);
  }
  return out;
}

/** What the file holds instead, in a few words: its type, and a dict's first keys. */
function describe(root: PyValue): string {
  const looked = `voxlab looks for a dict of tensors, as is or under ${WRAPPER_KEYS.map((k) => `'${k}'`).join(', ')}`;
  if (!(root instanceof PyDict)) return `the file holds a ${pyTypeName(root)} (${looked})`;
  const keys = [...root.entries.values()].map(([k]) => (typeof k === 'string' ? `'${k}'` : pyTypeName(k)));
  const listed = keys.length > 8 ? `${keys.slice(0, 8).join(', ')} and ${keys.length - 8} more` : keys.join(', ');
  return `the file holds a dict with keys ${listed || '(none)'} (${looked})`;
}
