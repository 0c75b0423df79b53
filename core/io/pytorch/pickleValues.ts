// The values our restricted unpickler builds: plain data (None, bools, ints, floats, str, bytes, tuples,
// lists, dicts) plus three inert markers for what torch.save pickles: an allowed global (a name, never a
// callable), a storage (an archive entry, not yet read) and a tensor (a view of a storage). Nothing here
// can run code: a "global" is only its dotted name.

/** Python ints that fit 2^53 are numbers; larger ones bigints. Floats are numbers too. */
export type PyValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PyTuple
  | PyList
  | PyDict
  | PyGlobal
  | PyStorage
  | PyTensor;

export class PyTuple {
  constructor(readonly items: readonly PyValue[]) {}
}

export class PyList {
  constructor(readonly items: PyValue[] = []) {}
}

/** A dict (or OrderedDict) in insertion order; `attributes` is what BUILD set (an OrderedDict's `_metadata`). */
export class PyDict {
  readonly entries = new Map<string, readonly [PyValue, PyValue]>();
  attributes: PyValue = null;

  /** Sets `key` as Python does: a repeated key keeps its first position. Throws TypeError for unhashable keys. */
  set(key: PyValue, value: PyValue): void {
    this.entries.set(hashKey(key, 0), [key, value]);
  }

  /** The value under `key`, or undefined. */
  get(key: PyValue): PyValue | undefined {
    return this.entries.get(hashKey(key, 0))?.[1];
  }

  get size(): number {
    return this.entries.size;
  }
}

/** A module-level name the allow-list let through, e.g. collections.OrderedDict. */
export class PyGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}

  get dotted(): string {
    return `${this.module}.${this.name}`;
  }
}

/** The safetensors dtype names, for the element types torch's legacy storage classes hold. */
export type StorageDtype = 'F32' | 'F64' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

/** A storage of a checkpoint: entry data/<key> of the archive, `numel` elements of `dtype`. */
export class PyStorage {
  constructor(
    readonly key: string,
    readonly dtype: StorageDtype,
    readonly numel: number,
  ) {}
}

/** A tensor as torch._utils._rebuild_tensor_v2 describes it: a strided view of a storage (in elements). */
export class PyTensor {
  constructor(
    readonly storage: PyStorage,
    readonly offset: number,
    readonly shape: readonly number[],
    readonly stride: readonly number[],
  ) {}
}

/** Deepest tuple nesting a dict key may have (a fuzzed pickle can nest millions deep). */
const MAX_KEY_DEPTH = 32;

/** A string that is equal for equal Python keys (1 == 1.0 == True, as Python's dict treats them). */
function hashKey(key: PyValue, depth: number): string {
  if (depth > MAX_KEY_DEPTH) throw new TypeError(`a dict key nested more than ${MAX_KEY_DEPTH} tuples deep`);
  if (key === null) return 'N';
  if (typeof key === 'string') return `s${key}`;
  if (typeof key === 'boolean') return `n${key ? 1 : 0}`;
  if (typeof key === 'number' || typeof key === 'bigint') return `n${String(key)}`;
  if (key instanceof Uint8Array) return `b${Array.from(key, (b) => b.toString(16).padStart(2, '0')).join('')}`;
  if (key instanceof PyTuple) return `t(${key.items.map((k) => hashKey(k, depth + 1)).join(',')})`;
  throw new TypeError(`a ${pyTypeName(key)} cannot be a dict key`);
}

/** Python's name for the type of `value`, for messages. */
export function pyTypeName(value: PyValue): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'bigint') return 'int';
  if (typeof value === 'string') return 'str';
  if (value instanceof Uint8Array) return 'bytes';
  if (value instanceof PyTuple) return 'tuple';
  if (value instanceof PyList) return 'list';
  if (value instanceof PyDict) return 'dict';
  if (value instanceof PyGlobal) return value.dotted;
  if (value instanceof PyStorage) return 'storage';
  return 'tensor';
}
