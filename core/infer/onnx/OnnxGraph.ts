// Builds an ONNX graph one operator at a time (opset 17 semantics) and serialises it with toBytes(): the
// exporter of our DenseNets and the sub-models (pieces, occluded batches) explanation code runs.

import { VoxlabError } from '../../common/errors.js';
import {
  encodeModel,
  type OnnxAttribute,
  type OnnxDtype,
  type OnnxNode,
  type OnnxTensor,
  type OnnxValueInfo,
} from './onnxProto.js';

/** ONNX opset the builder's operators follow (Pad and Slice take their parameters as inputs, opset >= 13). */
export const ONNX_OPSET = 17;
/** IR version 8 (ONNX 1.10+): understood by onnxruntime since 1.10. */
export const ONNX_IR_VERSION = 8;

/** A dimension: a number, or a symbolic name such as 'batch'. */
export type Dim = number | string;

/** Window settings of Conv and the pools, per spatial axis ([d, h, w] for 3D). */
export interface WindowOptions {
  readonly kernel: readonly number[];
  readonly strides?: readonly number[];
  /** Begin and end padding per spatial axis, ONNX order: [d0, h0, w0, d1, h1, w1]. Default 0. */
  readonly pads?: readonly number[];
}

export interface ToBytesOptions {
  readonly producerName?: string;
  readonly producerVersion?: string;
  readonly docString?: string;
  /** ModelProto.metadata_props. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/**
 * An ONNX graph under construction. Every op method takes input value names and returns the name of its
 * output (`out`, or a fresh `<op>_<n>`). Value names must be unique; the builder checks that each input
 * exists before the node that reads it, so the node list stays topologically sorted as ONNX requires.
 */
export class OnnxGraph {
  private readonly nodes: OnnxNode[] = [];
  private readonly initializers: OnnxTensor[] = [];
  private readonly inputs: OnnxValueInfo[] = [];
  private readonly outputs: OnnxValueInfo[] = [];
  private readonly values = new Set<string>();
  private counter = 0;

  constructor(readonly name = 'voxlab') {}

  /** Declares a graph input (a float32 tensor unless told). */
  input(name: string, shape: readonly Dim[], dtype: OnnxDtype = 'float'): string {
    this.define(name);
    this.inputs.push({ name, dtype, shape });
    return name;
  }

  /** Declares an existing value as a graph output; `shape: null` leaves its shape to the runtime. */
  output(name: string, shape: readonly Dim[] | null, dtype: OnnxDtype = 'float'): void {
    this.require(name);
    if (this.outputs.some((o) => o.name === name)) throw invalid(`output ${name} declared twice`);
    this.outputs.push({ name, dtype, shape });
  }

  /** A float32 constant (weights), C order over `dims`. */
  floatConstant(name: string, dims: readonly number[], data: Float32Array): string {
    this.define(name);
    this.initializers.push({ name, dtype: 'float', dims: [...dims], data });
    return name;
  }

  /** An int64 vector constant (Pad's pads, Slice's starts/ends/axes/steps). */
  int64Constant(name: string, values: readonly number[]): string {
    this.define(name);
    this.initializers.push({
      name,
      dtype: 'int64',
      dims: [values.length],
      data: BigInt64Array.from(values, BigInt),
    });
    return name;
  }

  /** Whether a value (input, constant or node output) of this name exists. */
  has(name: string): boolean {
    return this.values.has(name);
  }

  /** Any operator of the default domain. */
  node(
    opType: string,
    inputs: readonly string[],
    attributes: readonly OnnxAttribute[] = [],
    out?: string,
  ): string {
    for (const i of inputs) if (i !== '') this.require(i);
    const output = out ?? this.fresh(opType);
    this.define(output);
    this.nodes.push({ opType, name: output, inputs: [...inputs], outputs: [output], attributes });
    return output;
  }

  /** Conv without bias: x [N, C, ...spatial], w [out, C, ...kernel]. */
  conv(x: string, w: string, window: WindowOptions, out?: string): string {
    return this.node('Conv', [x, w], windowAttributes(window), out);
  }

  /** BatchNormalization in inference mode: y = scale * (x - mean) / sqrt(var + epsilon) + bias per channel. */
  batchNorm(
    x: string,
    scale: string,
    bias: string,
    mean: string,
    variance: string,
    epsilon: number,
    out?: string,
  ): string {
    return this.node(
      'BatchNormalization',
      [x, scale, bias, mean, variance],
      [{ name: 'epsilon', type: 'float', value: epsilon }],
      out,
    );
  }

  relu(x: string, out?: string): string {
    return this.node('Relu', [x], [], out);
  }

  /** MaxPool: padded positions never win (ONNX and PyTorch agree). */
  maxPool(x: string, window: WindowOptions, out?: string): string {
    return this.node('MaxPool', [x], windowAttributes(window), out);
  }

  /** AveragePool; padding (if any) is excluded from the count (count_include_pad = 0, the default). */
  averagePool(x: string, window: WindowOptions, out?: string): string {
    return this.node('AveragePool', [x], windowAttributes(window), out);
  }

  concat(inputs: readonly string[], axis: number, out?: string): string {
    return this.node('Concat', inputs, [{ name: 'axis', type: 'int', value: axis }], out);
  }

  /** Mean over all spatial axes: [N, C, ...] -> [N, C, 1, ...]. */
  globalAveragePool(x: string, out?: string): string {
    return this.node('GlobalAveragePool', [x], [], out);
  }

  /** Reshapes to 2D [prod(dims < axis), prod(dims >= axis)]. */
  flatten(x: string, axis = 1, out?: string): string {
    return this.node('Flatten', [x], [{ name: 'axis', type: 'int', value: axis }], out);
  }

  /** a [M, K] times b ([N, K] when transB, else [K, N]) plus c: torch.nn.Linear with transB. */
  gemm(a: string, b: string, c: string | null, options: { transB?: boolean } = {}, out?: string): string {
    const attributes: OnnxAttribute[] = options.transB ? [{ name: 'transB', type: 'int', value: 1 }] : [];
    return this.node('Gemm', c === null ? [a, b] : [a, b, c], attributes, out);
  }

  /** Elementwise product with numpy broadcasting. */
  mul(a: string, b: string, out?: string): string {
    return this.node('Mul', [a, b], [], out);
  }

  /** Elementwise sum with numpy broadcasting. */
  add(a: string, b: string, out?: string): string {
    return this.node('Add', [a, b], [], out);
  }

  /**
   * Pad (opset >= 13: pads as an int64 input): `pads` = begins of every axis, then ends, negative to crop.
   * Mode 'constant' fills `value` (default 0), 'edge' repeats the border, 'reflect' mirrors it.
   */
  pad(
    x: string,
    pads: readonly number[],
    options: { mode?: 'constant' | 'edge' | 'reflect'; value?: number } = {},
    out?: string,
  ): string {
    const padsName = this.int64Constant(this.fresh('pads'), pads);
    const inputs = [x, padsName];
    if (options.value !== undefined && options.value !== 0)
      inputs.push(this.floatConstant(this.fresh('pad_value'), [], Float32Array.of(options.value)));
    const mode = options.mode ?? 'constant';
    return this.node('Pad', inputs, [{ name: 'mode', type: 'string', value: mode }], out);
  }

  /** Slice (opset >= 13: parameters as int64 inputs): [starts, ends) along `axes`, with `steps` (default 1). */
  slice(
    x: string,
    starts: readonly number[],
    ends: readonly number[],
    axes: readonly number[],
    steps?: readonly number[],
    out?: string,
  ): string {
    if (
      starts.length !== ends.length ||
      starts.length !== axes.length ||
      (steps && steps.length !== axes.length)
    )
      throw invalid(`slice: starts, ends, axes${steps ? ', steps' : ''} must have one entry per axis`);
    const inputs = [
      x,
      this.int64Constant(this.fresh('starts'), starts),
      this.int64Constant(this.fresh('ends'), ends),
      this.int64Constant(this.fresh('axes'), axes),
      ...(steps ? [this.int64Constant(this.fresh('steps'), steps)] : []),
    ];
    return this.node('Slice', inputs, [], out);
  }

  /** The model as .onnx bytes (ir_version 8, opset 17). Throws MODEL_INVALID without inputs or outputs. */
  toBytes(options: ToBytesOptions = {}): Uint8Array {
    if (this.outputs.length === 0) throw invalid('the graph has no outputs');
    return encodeModel({
      irVersion: ONNX_IR_VERSION,
      opsetVersion: ONNX_OPSET,
      producerName: options.producerName ?? 'voxlab',
      producerVersion: options.producerVersion ?? '0.1.0',
      ...(options.docString !== undefined ? { docString: options.docString } : {}),
      graph: {
        name: this.name,
        nodes: this.nodes,
        initializers: this.initializers,
        inputs: this.inputs,
        outputs: this.outputs,
      },
      metadata: options.metadata ?? {},
    });
  }

  private fresh(prefix: string): string {
    let name: string;
    do name = `${prefix}_${this.counter++}`;
    while (this.values.has(name));
    return name;
  }

  private define(name: string): void {
    if (name === '') throw invalid('a value needs a name');
    if (this.values.has(name)) throw invalid(`value ${name} is defined twice`);
    this.values.add(name);
  }

  private require(name: string): void {
    if (!this.values.has(name)) throw invalid(`value ${name} is used before it is defined`);
  }
}

function windowAttributes(w: WindowOptions): OnnxAttribute[] {
  const n = w.kernel.length;
  const strides = w.strides ?? w.kernel.map(() => 1);
  const pads = w.pads ?? new Array<number>(2 * n).fill(0);
  if (strides.length !== n || pads.length !== 2 * n)
    throw invalid(`window: ${n} kernel dims need ${n} strides and ${2 * n} pads`);
  return [
    { name: 'kernel_shape', type: 'ints', value: [...w.kernel] },
    { name: 'strides', type: 'ints', value: [...strides] },
    { name: 'pads', type: 'ints', value: [...pads] },
  ];
}

function invalid(message: string): VoxlabError {
  return new VoxlabError('MODEL_INVALID', `OnnxGraph: ${message}`);
}
