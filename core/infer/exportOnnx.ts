// ModelDescription + weights -> ONNX, node by node from the same description the tfjs model runs, so
// both engines compute one network. Also exports a contiguous piece of it (from given values to given
// values), for engines that run the network in parts (incremental occlusion).

import { VoxlabError } from '../common/errors.js';
import type { ModelDescription, ModelNode } from '../model/index.js';
import { OnnxGraph, type Dim } from './onnx/OnnxGraph.js';
import { stateValue, type StateDict } from './stateDict.js';

/** Names of the whole model's input and output, as MONAI's ONNX export names them. */
export const ONNX_INPUT = 'image';
export const ONNX_OUTPUT = 'logits';
/** The symbolic batch dimension. */
export const BATCH_DIM = 'batch';

/** metadata_props keys voxlab writes and reads back (JSON values). */
export const ONNX_METADATA = {
  classes: 'voxlab.classes',
  inputSize: 'voxlab.input_size',
  family: 'voxlab.family',
  config: 'voxlab.config',
} as const;

/** voxlab.classes of a model's metadata_props, or null when absent or not a list of names. */
export function classesFromMetadata(metadata: Readonly<Record<string, string>>): string[] | null {
  const raw = metadata[ONNX_METADATA.classes];
  if (raw === undefined) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null; // written by another tool under our key: generic names instead
  }
  return Array.isArray(value) && value.length > 0 && value.every((c) => typeof c === 'string') ? value : null;
}

export interface ExportOnnxOptions {
  /** Class names, index = output channel; stored as voxlab.classes (default class0..classN-1). */
  readonly classes?: readonly string[];
  /** Extra metadata_props. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/**
 * The whole network as .onnx bytes: input `image` float32 [batch, C, D, H, W] (NCDHW, D/H/W = the
 * volume's i/j/k axes), output `logits` [batch, classes]; batch is symbolic. Metadata voxlab.classes,
 * voxlab.input_size ([D, H, W]), voxlab.family and voxlab.config. Throws WEIGHTS_MISMATCH for missing or
 * mis-sized weights, BAD_ARGUMENT for classes that do not match the output.
 */
export function exportOnnx(
  description: ModelDescription,
  state: StateDict,
  options: ExportOnnxOptions = {},
): Uint8Array {
  const outputs = description.nodes.find((n) => n.name === description.output)!.outputShape[0]!;
  const classes = options.classes ?? Array.from({ length: outputs }, (_, i) => `class${i}`);
  if (classes.length !== outputs)
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `exportOnnx: ${classes.length} class names for a model with ${outputs} outputs`,
    );
  const graph = new OnnxGraph(description.family);
  buildOnnxPart(graph, description, state, { inputs: ['input'], outputs: [description.output] });
  return graph.toBytes({
    docString: `voxlab ${description.family}; input NCDHW float32, D/H/W = the scan's voxel axes i/j/k`,
    metadata: {
      [ONNX_METADATA.classes]: JSON.stringify(classes),
      [ONNX_METADATA.inputSize]: JSON.stringify(description.input.shape.slice(1)),
      [ONNX_METADATA.family]: description.family,
      [ONNX_METADATA.config]: JSON.stringify(description.config),
      ...options.metadata,
    },
  });
}

/**
 * A contiguous piece of the network. `inputs` and `outputs` name values of the description: `input` (or
 * `image`) for the network input, a node name (e.g. `features.denseblock1.denselayer6.cat`, the input of
 * `features.transition1`) for that node's output, `logits` for the network output. The piece holds every
 * node needed to compute the outputs from the inputs.
 */
export interface OnnxPartSpec {
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /**
   * When true, depth/height/width of the inputs are symbolic (`<value>.d`, `.h`, `.w`) and output shapes
   * are left to the runtime, so the piece accepts any crop of a feature map (convolutions and pools are
   * size-agnostic). Default false: the description's sizes.
   */
  readonly dynamicSpatial?: boolean;
}

/** What a piece's graph calls its values: ONNX names of the inputs and outputs, in the spec's order. */
export interface OnnxPartNames {
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

/** The piece as .onnx bytes (see OnnxPartSpec); graph values are named after description nodes. */
export function exportOnnxPart(
  description: ModelDescription,
  state: StateDict,
  spec: OnnxPartSpec,
): Uint8Array {
  const graph = new OnnxGraph(`${description.family} part`);
  buildOnnxPart(graph, description, state, spec);
  return graph.toBytes({
    docString: `part of voxlab ${description.family}: ${spec.inputs.join(', ')} -> ${spec.outputs.join(', ')}`,
  });
}

/**
 * Adds the piece's inputs, nodes, weights and outputs to `graph` (which may hold other values: callers
 * can build more around it before toBytes). ONNX names: `image` for the network input, `logits` for its
 * output, node names otherwise. Throws BAD_ARGUMENT for unknown names or a piece that needs a value
 * outside it, WEIGHTS_MISMATCH for missing weights.
 */
export function buildOnnxPart(
  graph: OnnxGraph,
  description: ModelDescription,
  state: StateDict,
  spec: OnnxPartSpec,
): OnnxPartNames {
  const canonical = (name: string) =>
    name === ONNX_INPUT ? 'input' : name === ONNX_OUTPUT ? description.output : name;
  const inputs = spec.inputs.map(canonical);
  const outputs = spec.outputs.map(canonical);
  const byName = new Map(description.nodes.map((n) => [n.name, n]));
  const shapeOf = (name: string): readonly number[] => {
    if (name === 'input') return description.input.shape;
    const node = byName.get(name);
    if (node === undefined)
      throw new VoxlabError(
        'BAD_ARGUMENT',
        `ONNX export: the ${description.family} model has no value ${name}`,
      );
    return node.outputShape;
  };
  const onnxName = (name: string) =>
    name === 'input' ? ONNX_INPUT : name === description.output ? ONNX_OUTPUT : name;
  const value = new Map<string, string>();
  for (const name of inputs) {
    const shape = shapeOf(name);
    const dims: Dim[] =
      spec.dynamicSpatial && shape.length === 4
        ? [shape[0]!, `${name}.d`, `${name}.h`, `${name}.w`]
        : [...shape];
    value.set(name, graph.input(onnxName(name), [BATCH_DIM, ...dims]));
  }
  for (const node of partNodes(description, new Set(inputs), outputs)) {
    const x = node.inputs.map((i) => value.get(i)!);
    value.set(
      node.name,
      addNode(graph, node, x, state, node.name === description.output ? ONNX_OUTPUT : node.name),
    );
  }
  for (const name of outputs) {
    const shape = shapeOf(name);
    const v = value.get(name)!;
    graph.output(v, spec.dynamicSpatial && shape.length === 4 ? null : [BATCH_DIM, ...shape]);
  }
  return { inputs: inputs.map((n) => value.get(n)!), outputs: outputs.map((n) => value.get(n)!) };
}

/** The nodes needed for `outputs` given `inputs`, in execution order. */
function partNodes(
  description: ModelDescription,
  inputs: ReadonlySet<string>,
  outputs: readonly string[],
): ModelNode[] {
  const byName = new Map(description.nodes.map((n) => [n.name, n]));
  const needed = new Set<string>();
  const stack = [...outputs];
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (inputs.has(name) || needed.has(name)) continue;
    if (name === 'input')
      throw new VoxlabError(
        'BAD_ARGUMENT',
        `ONNX export: the outputs [${outputs.join(', ')}] need the network input, which is not among the inputs [${[...inputs].join(', ')}]`,
      );
    const node = byName.get(name);
    if (node === undefined)
      throw new VoxlabError(
        'BAD_ARGUMENT',
        `ONNX export: the ${description.family} model has no value ${name}`,
      );
    needed.add(name);
    stack.push(...node.inputs);
  }
  return description.nodes.filter((n) => needed.has(n.name));
}

/** One description node as ONNX operators; returns the value holding its output. */
function addNode(graph: OnnxGraph, node: ModelNode, x: string[], state: StateDict, out: string): string {
  const weight = (role: string) => {
    const entry = node.state.find((e) => e.role === role)!;
    const name = entry.key;
    return graph.has(name)
      ? name
      : graph.floatConstant(name, entry.shape, stateValue(state, name, entry.shape));
  };
  const cube = (n: number) => [n, n, n];
  switch (node.op) {
    case 'conv':
      return graph.conv(
        x[0]!,
        weight('weight'),
        {
          kernel: cube(node.kernel),
          strides: cube(node.stride),
          pads: [...cube(node.padding), ...cube(node.padding)],
        },
        out,
      );
    case 'batchNorm':
      return graph.batchNorm(
        x[0]!,
        weight('weight'),
        weight('bias'),
        weight('running_mean'),
        weight('running_var'),
        node.eps,
        out,
      );
    case 'relu':
      return graph.relu(x[0]!, out);
    case 'maxPool':
      return graph.maxPool(
        x[0]!,
        {
          kernel: cube(node.kernel),
          strides: cube(node.stride),
          pads: [...cube(node.padding), ...cube(node.padding)],
        },
        out,
      );
    case 'avgPool':
      return graph.averagePool(x[0]!, { kernel: cube(node.kernel), strides: cube(node.stride) }, out);
    case 'dropout':
      // Identity in eval mode; still a node so that the value keeps the node's name.
      return graph.node('Identity', [x[0]!], [], out);
    case 'concat':
      return graph.concat(x, 1, out);
    case 'globalAvgPool':
      return graph.globalAveragePool(x[0]!, out);
    case 'flatten':
      return graph.flatten(x[0]!, 1, out);
    case 'linear':
      return graph.gemm(x[0]!, weight('weight'), weight('bias'), { transB: true }, out);
  }
}
