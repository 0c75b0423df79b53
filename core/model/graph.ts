// A network described as plain data: nodes (op, inputs, output shape, state_dict entries), free of any
// framework, so the tfjs model, the weight files and a later ONNX export all read the same description.

import { VoxlabError } from '../common/errors.js';

/** Element types of state_dict entries, spelled as safetensors spells them. */
export type StateDtype = 'F32' | 'I64';

/** How an entry starts out (PyTorch's initialisers, as MONAI's DenseNet calls them). */
export type InitSpec =
  | { readonly kind: 'kaimingNormal'; readonly fanIn: number; readonly std: number }
  | { readonly kind: 'uniform'; readonly bound: number }
  | { readonly kind: 'constant'; readonly value: number };

/** Which part of a module an entry is; PyTorch's attribute names. */
export type StateRole = 'weight' | 'bias' | 'running_mean' | 'running_var' | 'num_batches_tracked';

/**
 * One state_dict entry. `shape` is PyTorch's layout: conv weights [out, in, kd, kh, kw], Linear weights
 * [out, in], BatchNorm vectors [channels], num_batches_tracked [] (a scalar). Parameters are trained;
 * buffers (running_mean, running_var, num_batches_tracked) are not counted as parameters.
 */
export interface StateEntry {
  readonly key: string;
  readonly role: StateRole;
  readonly kind: 'parameter' | 'buffer';
  readonly dtype: StateDtype;
  readonly shape: readonly number[];
  readonly init: InitSpec;
}

/**
 * Fields every node has. `name` is the PyTorch module path (e.g. `features.denseblock1.denselayer1.layers.conv1`),
 * `inputs` names earlier nodes or the graph input `input`. `outputShape` is per sample, channels first as
 * in PyTorch/ONNX: [channels, depth, height, width] for volumes, [features] for vectors (no batch axis).
 * `segment` groups consecutive nodes that a training loop may run (and backpropagate) as one piece.
 */
interface NodeBase {
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputShape: readonly number[];
  readonly segment: string;
  readonly state: readonly StateEntry[];
}

/** Cubic windows: `kernel`, `stride`, `padding` apply equally to depth, height and width (PyTorch ints). */
export type ModelNode =
  | (NodeBase & {
      readonly op: 'conv';
      readonly kernel: number;
      readonly stride: number;
      readonly padding: number;
      readonly bias: false;
    })
  | (NodeBase & { readonly op: 'batchNorm'; readonly eps: number; readonly momentum: number })
  | (NodeBase & { readonly op: 'relu' })
  | (NodeBase & {
      readonly op: 'maxPool';
      readonly kernel: number;
      readonly stride: number;
      readonly padding: number;
    })
  | (NodeBase & { readonly op: 'avgPool'; readonly kernel: number; readonly stride: number })
  | (NodeBase & { readonly op: 'dropout'; readonly p: number })
  /** Concatenation along the channel axis, inputs in order (torch.cat(..., 1)). */
  | (NodeBase & { readonly op: 'concat' })
  /** AdaptiveAvgPool(1): the mean over depth, height and width, output [channels, 1, 1, 1]. */
  | (NodeBase & { readonly op: 'globalAvgPool' })
  | (NodeBase & { readonly op: 'flatten' })
  | (NodeBase & { readonly op: 'linear' });

export type ModelOp = ModelNode['op'];

/** A whole network: its graph input (per-sample shape, channels first) and nodes in execution order. */
export interface ModelDescription<Config = unknown> {
  readonly family: string;
  readonly config: Config;
  readonly input: { readonly name: 'input'; readonly shape: readonly number[] };
  readonly nodes: readonly ModelNode[];
  /** The node whose output is the network's output (logits [classes]). */
  readonly output: string;
}

/** A run of consecutive nodes with one outside input. */
export interface SegmentSpec {
  readonly name: string;
  /** The name of the node (or `input`) whose output feeds the segment. */
  readonly input: string;
  /** The name of the segment's last node, whose output is the segment's output. */
  readonly output: string;
  readonly nodes: readonly ModelNode[];
}

/** Every state_dict entry in PyTorch's state_dict order (module registration order). */
export function stateEntries(description: ModelDescription): StateEntry[] {
  return description.nodes.flatMap((n) => n.state);
}

/** The number of trainable parameters (PyTorch's sum(p.numel() for p in model.parameters())). */
export function countParameters(description: ModelDescription): number {
  return stateEntries(description)
    .filter((e) => e.kind === 'parameter')
    .reduce((sum, e) => sum + numel(e.shape), 0);
}

/** The number of elements of a shape ([] is a scalar: 1). */
export function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Groups the nodes into segments (consecutive nodes with the same `segment`), each with its one outside input. */
export function segmentsOf(description: ModelDescription): SegmentSpec[] {
  const groups: ModelNode[][] = [];
  for (const node of description.nodes) {
    const last = groups[groups.length - 1];
    if (last !== undefined && last[0]!.segment === node.segment) last.push(node);
    else groups.push([node]);
  }
  return groups.map((nodes) => {
    const inside = new Set(nodes.map((n) => n.name));
    const outside = [...new Set(nodes.flatMap((n) => n.inputs).filter((i) => !inside.has(i)))];
    if (outside.length !== 1) {
      const names = outside.join(', ');
      throw new VoxlabError(
        'MODEL_INVALID',
        `segmentsOf: segment ${nodes[0]!.segment} must have one outside input, has [${names}]`,
      );
    }
    return { name: nodes[0]!.segment, input: outside[0]!, output: nodes[nodes.length - 1]!.name, nodes };
  });
}

/**
 * The BatchNorms whose output only feeds the very next node, a ReLU in the same segment (DenseNet's
 * norm -> relu pairs): they may run as one fused BatchNorm+ReLU whose ReLU output stands for both nodes.
 */
export function fusibleBatchNorms(description: ModelDescription): Set<string> {
  const readers = new Map<string, number>();
  for (const node of description.nodes)
    for (const input of node.inputs) readers.set(input, (readers.get(input) ?? 0) + 1);
  const fusible = new Set<string>();
  description.nodes.forEach((node, i) => {
    const next = description.nodes[i + 1];
    if (node.op !== 'batchNorm' || next === undefined || next.op !== 'relu') return;
    const onlyReader =
      next.inputs.length === 1 && next.inputs[0] === node.name && readers.get(node.name) === 1;
    if (onlyReader && next.segment === node.segment && description.output !== node.name)
      fusible.add(node.name);
  });
  return fusible;
}
