// Test helper: an .onnx file with its (one) graph input declared with another shape, every other field
// copied as it is. MONAI's densenet_tiny.onnx fixes its input at [batch, 1, 32, 32, 32]; its graph holds no
// size-dependent constants (Flatten, GlobalAveragePool, zero Pads) and no value_info, so re-declared at
// 64^3 (or symbolic) it stands for the file torch.onnx.export writes for a 64^3 dummy input.

import { encodeValueInfo } from '../onnx/onnxProto.js';
import { ProtoWriter, readFields, type ProtoField } from '../onnx/protobuf.js';
import { readOnnxGraph } from '../onnx/readOnnxGraph.js';
import type { ResolvedModel } from '../resolveModel.js';

/** `onnx` with its first graph input re-declared as float32 of `shape` (numbers, or names for symbolic dims). */
export function withInputShape(onnx: Uint8Array, shape: readonly (number | string)[]): Uint8Array {
  const name = readOnnxGraph(onnx).inputs[0]!.name;
  // ModelProto.graph = 7; GraphProto.input = 11, ValueInfoProto.name = 1.
  return copyFields(readFields(onnx), (f, w) => {
    if (f.field !== 7 || f.wire !== 2) return false;
    w.message(
      7,
      copyFields(readFields(f.value), (g, gw) => {
        if (g.field !== 11 || g.wire !== 2) return false;
        const nameField = readFields(g.value).find((x) => x.field === 1 && x.wire === 2);
        if (nameField === undefined || new TextDecoder().decode(nameField.value as Uint8Array) !== name)
          return false;
        gw.message(11, encodeValueInfo({ name, dtype: 'float', shape }));
        return true;
      }),
    );
    return true;
  }).finish();
}

/** A writer holding `fields` in order, except those `replace` wrote itself (it returns true for them). */
function copyFields(
  fields: readonly ProtoField[],
  replace: (f: ProtoField, w: ProtoWriter) => boolean,
): ProtoWriter {
  const w = new ProtoWriter();
  for (const f of fields) {
    if (replace(f, w)) continue;
    if (f.wire === 0) w.varint(f.field, f.value);
    else if (f.wire === 2) w.bytes(f.field, f.value);
    else if (f.wire === 5) w.float(f.field, f.value);
    else
      throw new Error(
        `withInputShape: field ${f.field} is fixed64, which ModelProto and GraphProto do not use`,
      );
  }
  return w;
}

/** A resolved model given only as ONNX bytes (as resolveModel makes for a .onnx file), for tests. */
export function onnxModel(onnx: Uint8Array, inputSize: [number, number, number] | null): ResolvedModel {
  return {
    kind: 'onnx',
    id: 'model.onnx',
    source: '/nowhere/model.onnx',
    weights: null,
    classes: ['class0', 'class1'],
    inputSize,
    onnx,
    network: null,
  };
}
