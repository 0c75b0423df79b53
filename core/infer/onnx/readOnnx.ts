// Reads the facts voxlab needs from .onnx bytes without a runtime: versions, metadata_props (voxlab.classes),
// graph inputs/outputs and the operator list. Field numbers as in onnxProto.ts (onnx/onnx.proto).

import { VoxlabError } from '../../common/errors.js';
import { readFields, readPackedVarints, type ProtoField } from './protobuf.js';

/** A graph input or output: element type (TensorProto.DataType) and dims (numbers, names, or null if unset). */
export interface OnnxValueSummary {
  readonly name: string;
  readonly elemType: number;
  readonly shape: readonly (number | string | null)[] | null;
}

export interface OnnxModelSummary {
  readonly irVersion: number;
  /** Version of the default domain's operator set (0 when not imported). */
  readonly opsetVersion: number;
  readonly producerName: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly inputs: readonly OnnxValueSummary[];
  readonly outputs: readonly OnnxValueSummary[];
  /** Op types of the graph's nodes, in order. */
  readonly ops: readonly string[];
  /** Names of the graph's initializers (constant tensors). */
  readonly initializers: readonly string[];
}

const decoder = new TextDecoder();

/** The summary of a ModelProto. Throws MODEL_INVALID when the bytes are not one. */
export function readOnnxSummary(bytes: Uint8Array): OnnxModelSummary {
  const fields = readFields(bytes);
  const metadata: Record<string, string> = {};
  let opsetVersion = 0;
  let graph: Uint8Array | null = null;
  for (const f of fields) {
    if (f.field === 14 && f.wire === 2) {
      const entry = readFields(f.value);
      metadata[text(entry, 1)] = text(entry, 2);
    } else if (f.field === 8 && f.wire === 2) {
      const opset = readFields(f.value);
      if (text(opset, 1) === '' || text(opset, 1) === 'ai.onnx') opsetVersion = int(opset, 2);
    } else if (f.field === 7 && f.wire === 2) graph = f.value;
  }
  if (graph === null)
    throw new VoxlabError('MODEL_INVALID', 'The file is not an ONNX model: it has no graph');
  const g = readFields(graph);
  return {
    irVersion: int(fields, 1),
    opsetVersion,
    producerName: text(fields, 2),
    metadata,
    inputs: messages(g, 11).map(valueSummary),
    outputs: messages(g, 12).map(valueSummary),
    ops: messages(g, 1).map((n) => text(readFields(n), 4)),
    initializers: messages(g, 5).map((t) => text(readFields(t), 8)),
  };
}

/** The raw fields of `fieldNumber`'s embedded messages. */
function messages(fields: readonly ProtoField[], fieldNumber: number): Uint8Array[] {
  return fields.filter((f) => f.field === fieldNumber && f.wire === 2).map((f) => f.value as Uint8Array);
}

function text(fields: readonly ProtoField[], fieldNumber: number): string {
  const f = fields.find((x) => x.field === fieldNumber && x.wire === 2);
  return f === undefined ? '' : decoder.decode(f.value as Uint8Array);
}

function int(fields: readonly ProtoField[], fieldNumber: number): number {
  const f = fields.find((x) => x.field === fieldNumber);
  if (f === undefined) return 0;
  if (f.wire === 0) return Number(f.value);
  if (f.wire === 2) return Number(readPackedVarints(f.value)[0] ?? 0n);
  return 0;
}

/** ValueInfoProto { name = 1, type = 2 } -> TypeProto { tensor_type = 1 } -> Tensor { elem_type = 1, shape = 2 }. */
function valueSummary(bytes: Uint8Array): OnnxValueSummary {
  const v = readFields(bytes);
  const type = messages(v, 2)[0];
  const tensor = type === undefined ? undefined : messages(readFields(type), 1)[0];
  if (tensor === undefined) return { name: text(v, 1), elemType: 0, shape: null };
  const t = readFields(tensor);
  const shape = messages(t, 2)[0];
  return {
    name: text(v, 1),
    elemType: int(t, 1),
    shape:
      shape === undefined
        ? null
        : messages(readFields(shape), 1).map((d) => {
            const dim = readFields(d);
            if (dim.some((x) => x.field === 1)) return int(dim, 1);
            const param = text(dim, 2);
            return param === '' ? null : param;
          }),
  };
}
