// ONNX's messages as plain TypeScript data and their protocol buffers encoding. Field numbers are those
// of onnx/onnx.proto (cited per field below); only what a CNN classifier needs is covered.

import { VoxlabError } from '../../common/errors.js';
import { ProtoWriter } from './protobuf.js';

/** TensorProto.DataType values used here (onnx.proto: FLOAT = 1, INT64 = 7). */
export const ONNX_DTYPE = { float: 1, int64: 7 } as const;
export type OnnxDtype = keyof typeof ONNX_DTYPE;

/** AttributeProto.AttributeType values (onnx.proto: FLOAT 1, INT 2, STRING 3, FLOATS 6, INTS 7). */
export const ONNX_ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, floats: 6, ints: 7 } as const;

/** A constant tensor, stored as raw_data (little-endian, C order over dims). */
export type OnnxTensor =
  | {
      readonly name: string;
      readonly dtype: 'float';
      readonly dims: readonly number[];
      readonly data: Float32Array;
    }
  | {
      readonly name: string;
      readonly dtype: 'int64';
      readonly dims: readonly number[];
      readonly data: BigInt64Array;
    };

export type OnnxAttribute =
  | { readonly name: string; readonly type: 'float'; readonly value: number }
  | { readonly name: string; readonly type: 'int'; readonly value: number }
  | { readonly name: string; readonly type: 'string'; readonly value: string }
  | { readonly name: string; readonly type: 'floats'; readonly value: readonly number[] }
  | { readonly name: string; readonly type: 'ints'; readonly value: readonly number[] };

export interface OnnxNode {
  readonly opType: string;
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: readonly OnnxAttribute[];
}

/**
 * A graph input or output: a tensor of `dtype` whose dims are numbers or symbolic names (e.g. 'batch');
 * `shape: null` leaves the shape unknown (allowed for outputs).
 */
export interface OnnxValueInfo {
  readonly name: string;
  readonly dtype: OnnxDtype;
  readonly shape: readonly (number | string)[] | null;
}

export interface OnnxGraphProto {
  readonly name: string;
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly OnnxTensor[];
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
}

export interface OnnxModelProto {
  /** 8 = IR_VERSION_2021_7_30 (ONNX 1.10), which every current runtime reads. */
  readonly irVersion: number;
  /** Version of the default ('ai.onnx') operator set. */
  readonly opsetVersion: number;
  readonly producerName: string;
  readonly producerVersion: string;
  readonly docString?: string;
  readonly graph: OnnxGraphProto;
  /** ModelProto.metadata_props, e.g. voxlab.classes. */
  readonly metadata: Readonly<Record<string, string>>;
}

/** ModelProto as bytes (an .onnx file). */
export function encodeModel(model: OnnxModelProto): Uint8Array {
  const w = new ProtoWriter();
  w.varint(1, model.irVersion); // ModelProto.ir_version = 1
  w.string(2, model.producerName); // producer_name = 2
  w.string(3, model.producerVersion); // producer_version = 3
  if (model.docString !== undefined) w.string(6, model.docString); // doc_string = 6
  w.message(7, encodeGraph(model.graph)); // graph = 7
  // opset_import = 8: OperatorSetIdProto { domain = 1, version = 2 }; '' is the default ai.onnx domain.
  w.message(8, new ProtoWriter().string(1, '').varint(2, model.opsetVersion));
  for (const [key, value] of Object.entries(model.metadata)) {
    // metadata_props = 14: StringStringEntryProto { key = 1, value = 2 }
    w.message(14, new ProtoWriter().string(1, key).string(2, value));
  }
  return w.finish();
}

/** GraphProto (onnx.proto: node = 1, name = 2, initializer = 5, input = 11, output = 12). */
export function encodeGraph(graph: OnnxGraphProto): ProtoWriter {
  const w = new ProtoWriter();
  for (const node of graph.nodes) w.message(1, encodeNode(node));
  w.string(2, graph.name);
  for (const t of graph.initializers) w.message(5, encodeTensor(t));
  for (const v of graph.inputs) w.message(11, encodeValueInfo(v));
  for (const v of graph.outputs) w.message(12, encodeValueInfo(v));
  return w;
}

/** NodeProto (onnx.proto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5, domain = 7). */
export function encodeNode(node: OnnxNode): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of node.inputs) w.string(1, i);
  for (const o of node.outputs) w.string(2, o);
  w.string(3, node.name);
  w.string(4, node.opType);
  for (const a of node.attributes) w.message(5, encodeAttribute(a));
  return w;
}

/**
 * AttributeProto (onnx.proto: name = 1, f = 2, i = 3, s = 4, floats = 7, ints = 8, type = 20). Repeated
 * floats/ints are written unpacked, as proto2 declares them (parsers accept both forms).
 */
export function encodeAttribute(a: OnnxAttribute): ProtoWriter {
  const w = new ProtoWriter().string(1, a.name);
  switch (a.type) {
    case 'float':
      w.float(2, a.value);
      break;
    case 'int':
      w.varint(3, a.value);
      break;
    case 'string':
      w.string(4, a.value);
      break;
    case 'floats':
      for (const v of a.value) w.float(7, v);
      break;
    case 'ints':
      for (const v of a.value) w.varint(8, v);
      break;
  }
  return w.varint(20, ONNX_ATTRIBUTE_TYPE[a.type]);
}

/** TensorProto (onnx.proto: dims = 1, data_type = 2, name = 8, raw_data = 9, little-endian). */
export function encodeTensor(t: OnnxTensor): ProtoWriter {
  const count = t.dims.reduce((a, b) => a * b, 1);
  if (t.data.length !== count) {
    throw new VoxlabError(
      'SHAPE_MISMATCH',
      `encodeTensor: ${t.name} has ${t.data.length} values for dims [${t.dims.join(', ')}]`,
    );
  }
  const w = new ProtoWriter();
  for (const d of t.dims) w.varint(1, d);
  w.varint(2, ONNX_DTYPE[t.dtype]);
  w.string(8, t.name);
  w.bytes(9, littleEndianBytes(t.data));
  return w;
}

/**
 * ValueInfoProto { name = 1, type = 2 } with TypeProto { tensor_type = 1 } and TypeProto.Tensor
 * { elem_type = 1, shape = 2 }; TensorShapeProto { dim = 1 }, Dimension { dim_value = 1, dim_param = 2 }.
 */
export function encodeValueInfo(v: OnnxValueInfo): ProtoWriter {
  const tensor = new ProtoWriter().varint(1, ONNX_DTYPE[v.dtype]);
  if (v.shape !== null) {
    const shape = new ProtoWriter();
    for (const d of v.shape) {
      const dim = new ProtoWriter();
      if (typeof d === 'number') dim.varint(1, d);
      else dim.string(2, d);
      shape.message(1, dim);
    }
    tensor.message(2, shape);
  }
  return new ProtoWriter().string(1, v.name).message(2, new ProtoWriter().message(1, tensor));
}

/** The values' bytes in little-endian order (a view when the machine is little-endian, as all we ship on are). */
function littleEndianBytes(data: Float32Array | BigInt64Array): Uint8Array {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] === 1)
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.byteLength);
  const view = new DataView(out.buffer);
  if (data instanceof Float32Array) data.forEach((v, i) => view.setFloat32(4 * i, v, true));
  else data.forEach((v, i) => view.setBigInt64(8 * i, v, true));
  return out;
}
