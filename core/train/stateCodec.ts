// Saving an optimizer's state (and any other plain state holding float arrays) as one safetensors file:
// every Float32Array / Float64Array becomes a tensor named by its path in the object, everything else
// (numbers, strings, nesting, Map keys) goes into the JSON metadata entry 'voxlab_state'.

import { VoxlabError } from '../common/errors.js';
import { parseSafetensors, serializeSafetensors, toFloat32, type TensorToWrite } from '../model/index.js';

/** What the codec stores: JSON values, Float32Array/Float64Array leaves, and Maps with string keys. */
export type StateValue =
  | null
  | boolean
  | number
  | string
  | Float32Array
  | Float64Array
  | readonly StateValue[]
  | ReadonlyMap<string, StateValue>
  | { readonly [key: string]: StateValue };

const META_KEY = 'voxlab_state';

/** A JSON stand-in for a value: arrays are {$f32: tensorName}, Maps are {$map: [[key, value], ...]}. */
type Encoded = null | boolean | number | string | Encoded[] | { [key: string]: Encoded };

function encode(value: StateValue, name: string, tensors: [string, TensorToWrite][]): Encoded {
  if (value instanceof Float32Array || value instanceof Float64Array) {
    const dtype = value instanceof Float32Array ? 'F32' : 'F64';
    const unique = `${tensors.length}:${name}`; // paths may collide when keys contain dots; the index may not
    tensors.push([unique, { dtype, shape: [value.length], data: value }]);
    return { [`$${dtype.toLowerCase()}`]: unique };
  }
  if (value instanceof Map)
    return { $map: [...value].map(([k, v], i) => [k, encode(v as StateValue, `${name}.${i}`, tensors)]) };
  if (Array.isArray(value)) return value.map((v: StateValue, i) => encode(v, `${name}.${i}`, tensors));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, encode(v as StateValue, `${name}.${k}`, tensors)]),
    );
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return { $number: String(value) };
  return value as Encoded;
}

/** The state as safetensors bytes. Throws BAD_ARGUMENT for values the codec does not store. */
export function encodeState(state: StateValue): Uint8Array {
  const tensors: [string, TensorToWrite][] = [];
  const json = encode(state, 's', tensors);
  return serializeSafetensors(tensors, { format: 'voxlab-state', [META_KEY]: JSON.stringify(json) });
}

/** Reads back what encodeState wrote (arrays come back as the same typed array class). Throws WEIGHTS_INVALID. */
export function decodeState(bytes: Uint8Array): StateValue {
  const file = parseSafetensors(bytes);
  const text = file.metadata?.[META_KEY];
  if (text === undefined)
    throw new VoxlabError(
      'WEIGHTS_INVALID',
      'decodeState: the file holds no voxlab state (no voxlab_state metadata)',
    );
  const decode = (e: Encoded): StateValue => {
    if (Array.isArray(e)) return e.map(decode);
    if (e === null || typeof e !== 'object') return e;
    if (typeof e.$f32 === 'string' || typeof e.$f64 === 'string') {
      const name = (e.$f32 ?? e.$f64) as string;
      const t = file.tensors.get(name);
      if (t === undefined) throw new VoxlabError('WEIGHTS_INVALID', `decodeState: tensor ${name} is missing`);
      if (t.dtype !== 'F64') return toFloat32(t);
      const view = new DataView(t.bytes.buffer, t.bytes.byteOffset, t.bytes.byteLength);
      return Float64Array.from({ length: t.bytes.byteLength / 8 }, (_, i) => view.getFloat64(8 * i, true));
    }
    if (Array.isArray(e.$map))
      return new Map((e.$map as [string, Encoded][]).map(([k, v]) => [k, decode(v)]));
    if (typeof e.$number === 'string') return Number(e.$number);
    return Object.fromEntries(Object.entries(e).map(([k, v]) => [k, decode(v)]));
  };
  return decode(JSON.parse(text) as Encoded);
}
