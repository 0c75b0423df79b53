// What a torch.save pickle of a state_dict may name and call, and our own implementation of each: the
// allow-list of globals, REDUCE only on OrderedDict and the tensor rebuilders, BUILD only to set an
// OrderedDict's attributes (its `_metadata`), persistent ids only for storages the archive holds. Every
// other name is refused before anything could use it. (torch.load ran arbitrary code by default before
// PyTorch 2.6; its weights_only mode is the same idea, torch/_weights_only_unpickler.py.)

import { checkpointError, refusedError } from './checkpointError.js';
import {
  PyDict,
  PyGlobal,
  PyStorage,
  PyTensor,
  PyTuple,
  pyTypeName,
  type PyValue,
  type StorageDtype,
} from './pickleValues.js';
import type { UnpicklePolicy } from './unpickle.js';

/** torch's legacy storage classes (what torch.save still pickles) and the dtype each holds. */
export const STORAGE_CLASSES: Readonly<Record<string, StorageDtype>> = {
  FloatStorage: 'F32',
  DoubleStorage: 'F64',
  HalfStorage: 'F16',
  BFloat16Storage: 'BF16',
  LongStorage: 'I64',
  IntStorage: 'I32',
  ShortStorage: 'I16',
  CharStorage: 'I8',
  ByteStorage: 'U8',
  BoolStorage: 'BOOL',
};

export const ELEMENT_BYTES: Readonly<Record<StorageDtype, number>> = {
  F32: 4,
  F64: 8,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
};

const CALLABLES = new Set([
  'collections.OrderedDict',
  'torch._utils._rebuild_tensor',
  'torch._utils._rebuild_tensor_v2',
  'torch._utils._rebuild_parameter',
]);

/** Every global a checkpoint may name: the callables above and torch.<X>Storage. */
export const ALLOWED_GLOBALS: readonly string[] = [
  ...CALLABLES,
  ...Object.keys(STORAGE_CLASSES).map((c) => `torch.${c}`),
];
const ALLOWED = new Set(ALLOWED_GLOBALS);

/**
 * The policy for `name`'s pickle; `storageBytes(key)` is the byte length of entry data/<key>, or
 * undefined when the archive lacks it. Storages and tensors are checked against those lengths here,
 * so nothing is allocated for a size the file does not hold.
 */
export function torchPolicy(name: string, storageBytes: (key: string) => number | undefined): UnpicklePolicy {
  const bad = (message: string) => checkpointError(name, `its pickle is not a plain state_dict: ${message}`, 'pickle');
  const storages = new Map<string, PyStorage>();
  return {
    global(module, globalName) {
      const dotted = `${module}.${globalName}`;
      if (!ALLOWED.has(dotted)) throw refusedError(name, `run ${dotted}`, dotted);
      return new PyGlobal(module, globalName);
    },
    reduce(callable, args) {
      if (!(callable instanceof PyGlobal) || !CALLABLES.has(callable.dotted))
        throw refusedError(name, `call ${pyTypeName(callable)}`, pyTypeName(callable));
      if (!(args instanceof PyTuple)) throw bad(`${callable.dotted} called with a ${pyTypeName(args)}, not a tuple`);
      return call(callable.dotted, args.items, bad);
    },
    build(target, state) {
      const ok =
        target instanceof PyDict &&
        (state instanceof PyDict ||
          (state instanceof PyTuple &&
            state.items.length === 2 &&
            state.items.every((s) => s === null || s instanceof PyDict)));
      if (!ok) throw refusedError(name, `set the state of a ${pyTypeName(target)} from a ${pyTypeName(state)}`, 'BUILD');
      target.attributes = state;
    },
    persistentLoad(pid) {
      const items = pid instanceof PyTuple ? pid.items : [];
      const [tag, type, key, location, numel] = items;
      if (
        items.length !== 5 ||
        tag !== 'storage' ||
        !(type instanceof PyGlobal) ||
        typeof key !== 'string' ||
        typeof location !== 'string' ||
        !isCount(numel)
      )
        throw bad("a persistent id that is not ('storage', torch.<X>Storage, key, location, numel)");
      const dtype = type.module === 'torch' ? STORAGE_CLASSES[type.name] : undefined;
      if (dtype === undefined) throw bad(`a storage of ${type.dotted}, not a torch.<X>Storage`);
      const cacheKey = `${key}\0${dtype}`;
      const known = storages.get(cacheKey);
      if (known !== undefined) return known;
      const size = storageBytes(key);
      if (size === undefined) throw checkpointError(name, `storage ${key} is missing from the archive (data/${key})`, 'storage');
      if (size !== numel * ELEMENT_BYTES[dtype])
        throw checkpointError(
          name,
          `storage ${key} should hold ${numel} ${dtype} values (${numel * ELEMENT_BYTES[dtype]} bytes) but its entry has ${size} bytes`,
          'storage',
        );
      const storage = new PyStorage(key, dtype, numel);
      storages.set(cacheKey, storage);
      return storage;
    },
  };
}

/** Our own implementation of each allowed callable; the arguments' shapes are checked, never trusted. */
function call(dotted: string, args: readonly PyValue[], bad: (message: string) => Error): PyValue {
  switch (dotted) {
    case 'collections.OrderedDict':
      if (args.length !== 0) throw bad('collections.OrderedDict called with arguments');
      return new PyDict();
    case 'torch._utils._rebuild_parameter': {
      const [data, requiresGrad, hooks] = args;
      if (args.length !== 3 || !(data instanceof PyTensor) || typeof requiresGrad !== 'boolean' || !isEmptyDict(hooks))
        throw bad('torch._utils._rebuild_parameter called with arguments other than (tensor, bool, {})');
      return data;
    }
    default: {
      // _rebuild_tensor(storage, offset, size, stride) and _rebuild_tensor_v2(..., requires_grad,
      // backward_hooks[, metadata]): the hooks must be empty (a hook would be code).
      const v2 = dotted.endsWith('_v2');
      const [storage, offset, size, stride, requiresGrad, hooks] = args;
      const argsOk = v2
        ? (args.length === 6 || args.length === 7) && typeof requiresGrad === 'boolean' && isEmptyDict(hooks)
        : args.length === 4;
      if (!argsOk || !(storage instanceof PyStorage))
        throw bad(`${dotted} called with arguments other than (storage, offset, size, stride${v2 ? ', bool, {}' : ''})`);
      return tensorView(storage, offset ?? null, size ?? null, stride ?? null, bad);
    }
  }
}

/** A tensor view, refused unless every element it addresses lies inside its storage. */
function tensorView(
  storage: PyStorage,
  offset: PyValue,
  size: PyValue,
  stride: PyValue,
  bad: (message: string) => Error,
): PyTensor {
  const shape = size instanceof PyTuple && size.items.every(isCount) ? (size.items as number[]) : null;
  const steps = stride instanceof PyTuple && stride.items.every(isCount) ? (stride.items as number[]) : null;
  if (shape === null || steps === null || shape.length !== steps.length || !isCount(offset))
    throw bad('a tensor whose offset, size or stride is not whole numbers >= 0 of matching length');
  let numel = 1;
  let last = offset;
  for (let i = 0; i < shape.length; i++) {
    numel *= shape[i]!;
    last += (shape[i]! - 1) * steps[i]!;
  }
  // A tensor of a state_dict never addresses more elements than its storage holds (no self-overlap);
  // this also bounds what materialising it can allocate by the file's size.
  if (numel > 0 && (last >= storage.numel || numel > storage.numel))
    throw bad(
      `a tensor of shape [${shape.join(', ')}] (stride [${steps.join(', ')}], offset ${offset}) does not fit its storage of ${storage.numel} elements`,
    );
  return new PyTensor(storage, offset, shape, steps);
}

function isCount(v: PyValue | undefined): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function isEmptyDict(v: PyValue | undefined): boolean {
  return v instanceof PyDict && v.size === 0;
}
