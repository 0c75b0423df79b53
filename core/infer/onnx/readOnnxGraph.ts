// Reads an ONNX model's graph back into plain data: nodes with their attributes, and the initializers
// (constant tensors) as float32 or int64 values, so that code can recognise a known network in a file
// exported elsewhere (MONAI's torch.onnx.export) and take its weights. Field numbers as in onnxProto.ts
// (onnx/onnx.proto).

import { VoxlabError } from '../../common/errors.js';
import { readFields, readPackedVarints, type ProtoField } from './protobuf.js';
import { readOnnxSummary, type OnnxValueSummary } from './readOnnx.js';

/** A constant tensor read back: float32 (FLOAT) or int64 (INT64) values, C order over dims. */
export type OnnxTensorValue =
  | { readonly dtype: 'float'; readonly dims: readonly number[]; readonly data: Float32Array }
  | { readonly dtype: 'int64'; readonly dims: readonly number[]; readonly data: readonly bigint[] }
  /** Any other element type or storage (external data): kept by name only. */
  | { readonly dtype: 'other'; readonly dims: readonly number[]; readonly why: string };

/** An attribute value: int, float, string, ints, floats or a tensor (Constant's `value`). */
export type OnnxAttributeValue = number | string | readonly number[] | OnnxTensorValue;

export interface OnnxGraphNode {
  readonly opType: string;
  /** The operator's domain ('' = ai.onnx). */
  readonly domain: string;
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: ReadonlyMap<string, OnnxAttributeValue>;
}

export interface OnnxGraphContents {
  readonly opsetVersion: number;
  /** Graph inputs that are not initializers (old exports also list every weight as an input). */
  readonly inputs: readonly OnnxValueSummary[];
  readonly outputs: readonly OnnxValueSummary[];
  /** Nodes in file order (ONNX requires topological order). */
  readonly nodes: readonly OnnxGraphNode[];
  readonly initializers: ReadonlyMap<string, OnnxTensorValue>;
}

const decoder = new TextDecoder();
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** TensorProto.DataType: FLOAT = 1, INT64 = 7. */
const FLOAT = 1;
const INT64 = 7;

/**
 * The graph of .onnx bytes (the main graph; subgraphs of If/Loop are not read). Throws MODEL_INVALID when
 * the bytes are not an ONNX model.
 */
export function readOnnxGraph(bytes: Uint8Array): OnnxGraphContents {
  const summary = readOnnxSummary(bytes);
  const graphField = readFields(bytes).find((f) => f.field === 7 && f.wire === 2)!;
  const g = readFields(graphField.value as Uint8Array);
  const initializers = new Map<string, OnnxTensorValue>();
  for (const t of messages(g, 5)) {
    const fields = readFields(t);
    initializers.set(text(fields, 8), tensorValue(fields));
  }
  return {
    opsetVersion: summary.opsetVersion,
    inputs: summary.inputs.filter((i) => !initializers.has(i.name)),
    outputs: summary.outputs,
    nodes: messages(g, 1).map(node),
    initializers,
  };
}

/** NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5, domain = 7. */
function node(bytes: Uint8Array): OnnxGraphNode {
  const f = readFields(bytes);
  const attributes = new Map<string, OnnxAttributeValue>();
  for (const a of messages(f, 5)) {
    const af = readFields(a);
    const value = attributeValue(af);
    if (value !== null) attributes.set(text(af, 1), value);
  }
  return {
    opType: text(f, 4),
    domain: text(f, 7),
    name: text(f, 3),
    inputs: strings(f, 1),
    outputs: strings(f, 2),
    attributes,
  };
}

/**
 * AttributeProto: name = 1, f = 2, i = 3, s = 4, t = 5, floats = 7, ints = 8, type = 20 (FLOAT 1, INT 2,
 * STRING 3, TENSOR 4, FLOATS 6, INTS 7). Other types (graphs, sparse tensors, strings) give null.
 */
function attributeValue(f: readonly ProtoField[]): OnnxAttributeValue | null {
  const typeField = f.find((x) => x.field === 20 && x.wire === 0);
  const type = typeField === undefined ? 0 : Number(typeField.value);
  const has = (n: number) => f.some((x) => x.field === n);
  if (type === 1 || (type === 0 && has(2))) {
    const v = f.find((x) => x.field === 2 && x.wire === 5);
    return v === undefined ? 0 : (v.value as number);
  }
  if (type === 2 || (type === 0 && has(3))) {
    const v = f.find((x) => x.field === 3 && x.wire === 0);
    return v === undefined ? 0 : Number(v.value);
  }
  if (type === 3) return text(f, 4);
  if (type === 4) {
    const t = messages(f, 5)[0];
    return t === undefined ? null : tensorValue(readFields(t));
  }
  if (type === 6) return floats(f, 7);
  if (type === 7) return varints(f, 8).map(Number);
  return null;
}

/**
 * TensorProto: dims = 1, data_type = 2, float_data = 4, int64_data = 7, name = 8, raw_data = 9 (little-
 * endian), data_location = 14 (1 = EXTERNAL).
 */
function tensorValue(f: readonly ProtoField[]): OnnxTensorValue {
  const dims = varints(f, 1).map(Number);
  const count = dims.reduce((a, b) => a * b, 1);
  const typeField = f.find((x) => x.field === 2 && x.wire === 0);
  const dtype = typeField === undefined ? 0 : Number(typeField.value);
  const location = f.find((x) => x.field === 14 && x.wire === 0);
  if (location !== undefined && Number(location.value) === 1)
    return { dtype: 'other', dims, why: 'its values are stored outside the file (external data)' };
  const raw = f.find((x) => x.field === 9 && x.wire === 2)?.value as Uint8Array | undefined;
  if (dtype === FLOAT) {
    const data = raw !== undefined ? floatsFromRaw(raw) : Float32Array.from(floats(f, 4));
    return checked({ dtype: 'float', dims, data }, data.length, count);
  }
  if (dtype === INT64) {
    const data = raw !== undefined ? int64sFromRaw(raw) : varints(f, 7);
    return checked({ dtype: 'int64', dims, data }, data.length, count);
  }
  return { dtype: 'other', dims, why: `its element type is ${dtype}, not float32` };
}

function checked<T extends OnnxTensorValue>(t: T, got: number, want: number): T {
  if (got !== want)
    throw new VoxlabError(
      'MODEL_INVALID',
      `An ONNX tensor holds ${got} values for dims [${t.dims.join(', ')}] (${want} expected)`,
    );
  return t;
}

function floatsFromRaw(raw: Uint8Array): Float32Array {
  if (raw.byteLength % 4 !== 0)
    throw new VoxlabError('MODEL_INVALID', `An ONNX float tensor has ${raw.byteLength} bytes of raw data`);
  if (LITTLE_ENDIAN) return new Float32Array(raw.slice().buffer); // a copy: aligned, and the file may go
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  return Float32Array.from({ length: raw.byteLength / 4 }, (_, i) => view.getFloat32(4 * i, true));
}

function int64sFromRaw(raw: Uint8Array): bigint[] {
  if (raw.byteLength % 8 !== 0)
    throw new VoxlabError('MODEL_INVALID', `An ONNX int64 tensor has ${raw.byteLength} bytes of raw data`);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  return Array.from({ length: raw.byteLength / 8 }, (_, i) => view.getBigInt64(8 * i, true));
}

/** A repeated float field, packed (one length-delimited field) or not (fixed32 fields). */
function floats(f: readonly ProtoField[], n: number): number[] {
  const out: number[] = [];
  for (const x of f) {
    if (x.field !== n) continue;
    if (x.wire === 5) out.push(x.value);
    else if (x.wire === 2) out.push(...floatsFromRaw(x.value));
  }
  return out;
}

/** A repeated varint field, packed or not. */
function varints(f: readonly ProtoField[], n: number): bigint[] {
  const out: bigint[] = [];
  for (const x of f) {
    if (x.field !== n) continue;
    if (x.wire === 0) out.push(x.value);
    else if (x.wire === 2) out.push(...readPackedVarints(x.value));
  }
  return out;
}

function messages(fields: readonly ProtoField[], n: number): Uint8Array[] {
  return fields.filter((f) => f.field === n && f.wire === 2).map((f) => f.value as Uint8Array);
}

function strings(fields: readonly ProtoField[], n: number): string[] {
  return messages(fields, n).map((b) => decoder.decode(b));
}

function text(fields: readonly ProtoField[], n: number): string {
  const f = fields.find((x) => x.field === n && x.wire === 2);
  return f === undefined ? '' : decoder.decode(f.value as Uint8Array);
}
