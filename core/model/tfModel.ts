// A ModelDescription brought to life in TensorFlow.js: one tf.Variable per float state_dict entry (tfjs
// layout), a whole-network forward, and the same network as segments for segment-wise backpropagation.

import * as tf from '@tensorflow/tfjs-core';
import { VoxlabError } from '../common/errors.js';
import { SeededRandom } from '../common/random.js';
import { DEFAULT_INPUT_SIZE, describeDenseNet, type DenseNetConfig } from './densenet.js';
import {
  fusibleBatchNorms,
  segmentsOf,
  stateEntries,
  type ModelDescription,
  type SegmentSpec,
  type StateEntry,
} from './graph.js';
import { windowOutput } from './graphBuilder.js';
import { initialValues } from './init.js';
import { permute, permuteShape, tfToTorchPerm, torchToTfPerm } from './layout.js';
import { batchNorm, runNode, type ForwardOptions, type NodeState } from './tfLayers.js';

export type { ForwardOptions } from './tfLayers.js';

/**
 * A run of the network a training loop can forward and backpropagate on its own (stem, each dense layer,
 * each transition, head). Inputs and outputs are NDHWC [batch, depth, height, width, channels], except the
 * head's output: logits [batch, classes].
 */
export interface Segment {
  readonly name: string;
  /** The trainable variables the segment reads, in state_dict order. */
  readonly variables: readonly tf.Variable[];
  /** The MONAI state_dict keys of those variables, same order. */
  readonly variableKeys: readonly string[];
  /** Runs the segment in its own tidy scope; the caller owns the result. */
  forward(x: tf.Tensor, options: ForwardOptions): tf.Tensor;
}

/** Options for building a model: the seed of the initial weights (default 0). */
export interface CreateModelOptions {
  readonly seed?: number;
}

/**
 * The network in tfjs. Float entries live in tf.Variables in tfjs layout (conv [kd, kh, kw, in, out],
 * Linear [in, out]); running stats are non-trainable variables; num_batches_tracked are plain counts.
 * Dispose the model to free its variables.
 */
export class TfModel<Config = unknown> {
  readonly description: ModelDescription<Config>;
  private readonly variables = new Map<string, tf.Variable>();
  private readonly counts = new Map<string, number>();
  private readonly entries = new Map<string, StateEntry>();
  private readonly specs: SegmentSpec[];
  private readonly nodeState: NodeState;
  /** BatchNorms run fused with the ReLU after them (fusibleBatchNorms). */
  private readonly fused: Set<string>;

  /** Builds the variables with the description's initialisers, drawn from SeededRandom(seed). */
  constructor(description: ModelDescription<Config>, options: CreateModelOptions = {}) {
    this.description = description;
    this.specs = segmentsOf(description);
    this.fused = fusibleBatchNorms(description);
    const random = new SeededRandom(options.seed ?? 0);
    for (const entry of stateEntries(description)) {
      this.entries.set(entry.key, entry);
      const values = initialValues(entry, random);
      if (entry.dtype === 'I64') this.counts.set(entry.key, values[0]!);
      else this.variables.set(entry.key, this.newVariable(entry, values));
    }
    this.nodeState = {
      variable: (key) => this.variable(key),
      countBatch: (module) =>
        this.counts.set(
          `${module}.num_batches_tracked`,
          this.numBatchesTracked(`${module}.num_batches_tracked`) + 1,
        ),
    };
  }

  /** Every state_dict key in MONAI's order. */
  get stateKeys(): string[] {
    return [...this.entries.keys()];
  }

  /** The state_dict entry `key` (shape in PyTorch layout); throws NOT_FOUND. */
  entry(key: string): StateEntry {
    const entry = this.entries.get(key);
    if (entry === undefined) throw new VoxlabError('NOT_FOUND', `TfModel: no state_dict entry ${key}`);
    return entry;
  }

  /** The variable of float entry `key`, in tfjs layout; throws NOT_FOUND. */
  variable(key: string): tf.Variable {
    const v = this.variables.get(key);
    if (v === undefined) throw new VoxlabError('NOT_FOUND', `TfModel: no float variable ${key}`);
    return v;
  }

  /** The trainable variables (parameters, not buffers) in state_dict order. */
  trainableVariables(): tf.Variable[] {
    return [...this.entries.values()].filter((e) => e.kind === 'parameter').map((e) => this.variable(e.key));
  }

  /** A BatchNorm's num_batches_tracked (`<module>.num_batches_tracked`). */
  numBatchesTracked(key: string): number {
    const n = this.counts.get(key);
    if (n === undefined) throw new VoxlabError('NOT_FOUND', `TfModel: no counter ${key}`);
    return n;
  }

  setNumBatchesTracked(key: string, value: number): void {
    this.numBatchesTracked(key);
    if (!Number.isSafeInteger(value) || value < 0)
      throw new VoxlabError('BAD_ARGUMENT', `setNumBatchesTracked: ${key} = ${value}`);
    this.counts.set(key, value);
  }

  /**
   * Reads every variable back to the CPU, so that readTorch (a synchronous read) works afterwards on a
   * backend that cannot read synchronously: tfjs's webgpu backend in Node (its dataSync needs
   * OffscreenCanvas) keeps the values it read asynchronously. Call before saving weights.
   */
  async download(): Promise<void> {
    await Promise.all([...this.variables.values()].map((v) => v.data()));
  }

  /**
   * The float entry `key` in PyTorch layout (C order over entry.shape), read back from the backend. On
   * webgpu, await download() first.
   */
  readTorch(key: string): Float32Array {
    const entry = this.entry(key);
    const v = this.variable(key);
    return permute(v.dataSync() as Float32Array, v.shape, tfToTorchPerm(entry.shape.length));
  }

  /** Overwrites float entry `key` with `values` in PyTorch layout (C order over entry.shape). */
  writeTorch(key: string, values: Float32Array): void {
    const entry = this.entry(key);
    const v = this.variable(key);
    const tfValues = permute(values, entry.shape, torchToTfPerm(entry.shape.length));
    tf.tidy(() => v.assign(tf.tensor(tfValues, v.shape, 'float32')));
  }

  /** The network as segments, in order; composing their forwards is `forward`. */
  segments(): Segment[] {
    return this.specs.map((spec) => this.segment(spec));
  }

  /**
   * Logits [batch, classes] for `x` NDHWC [batch, depth, height, width, channels] (depth, height, width =
   * the volume's i, j, k). Eval mode unless options.training. The caller owns (and disposes) the result.
   */
  forward(x: tf.Tensor, options: ForwardOptions = { training: false }): tf.Tensor2D {
    this.checkInput(x);
    // Each segment's output is freed as soon as the next one has run (a whole-forward tidy would hold all).
    let current = x;
    try {
      for (const segment of this.segments()) {
        const next = segment.forward(current, options);
        if (current !== x) current.dispose();
        current = next;
      }
    } catch (e) {
      if (current !== x) current.dispose();
      throw e;
    }
    return current as tf.Tensor2D;
  }

  /**
   * The output of node `name` (a MONAI module path, e.g. 'class_layers.relu') for `x` NDHWC
   * [batch, depth, height, width, channels]: NDHWC for volume nodes, [batch, features] for vectors. Runs
   * the segments before the node's whole, then its segment up to the node. Eval mode unless
   * options.training. The caller owns the result. With forwardFrom, this splits the network so a gradient
   * can be taken with respect to an inner activation (Grad-CAM). Throws NOT_FOUND for an unknown node,
   * BAD_ARGUMENT for a BatchNorm fused with its ReLU (its own output never exists), SHAPE_MISMATCH as forward.
   */
  forwardTo(x: tf.Tensor, name: string, options: ForwardOptions = { training: false }): tf.Tensor {
    this.checkInput(x);
    const { segment, index } = this.locate('forwardTo', name);
    let current = x;
    try {
      for (const spec of this.specs.slice(0, segment)) {
        const next = this.segment(spec).forward(current, options);
        if (current !== x) current.dispose();
        current = next;
      }
      const spec = this.specs[segment]!;
      const input = current;
      const out = tf.tidy(() => {
        const values = new Map<string, tf.Tensor>([[spec.input, input]]);
        this.runNodes(spec, values, 0, spec.nodes[index]!.name, options);
        return values.get(name)!;
      });
      if (current !== x && out !== current) current.dispose();
      return out;
    } catch (e) {
      if (current !== x) current.dispose();
      throw e;
    }
  }

  /**
   * Logits [batch, classes] from `activation`, the output of node `name` (NDHWC for volume nodes, as
   * forwardTo returns it): the rest of the node's segment, then the later segments. Differentiable with
   * respect to `activation` (tf.grad). The node's later neighbours in its segment must read only its output
   * or each other (true at segment ends and for 'class_layers.relu'; not inside a dense layer, whose concat
   * reads the layer's input). Throws NOT_FOUND, BAD_ARGUMENT (such a node, or a fused BatchNorm),
   * SHAPE_MISMATCH for an activation of the wrong per-sample shape.
   */
  forwardFrom(activation: tf.Tensor, name: string, options: ForwardOptions = { training: false }): tf.Tensor2D {
    const { segment, index } = this.locate('forwardFrom', name);
    const spec = this.specs[segment]!;
    const node = spec.nodes[index]!;
    const later = spec.nodes.slice(index + 1);
    const known = new Set([name, ...later.map((n) => n.name)]);
    if (!later.every((n) => n.inputs.every((i) => known.has(i))))
      throw new VoxlabError(
        'BAD_ARGUMENT',
        `TfModel.forwardFrom: nodes after ${name} read values from before it; split at a segment end`,
      );
    const [c, ...spatial] = node.outputShape;
    const expected = spatial.length === 0 ? [c] : [...spatial, c];
    if (activation.rank !== expected.length + 1 || activation.shape.slice(1).some((n, d) => n !== expected[d]))
      throw new VoxlabError(
        'SHAPE_MISMATCH',
        `TfModel.forwardFrom: ${name} output must be [batch, ${expected.join(', ')}], got [${activation.shape.join(', ')}]`,
      );
    let current = tf.tidy(() => {
      const values = new Map<string, tf.Tensor>([[name, activation]]);
      this.runNodes(spec, values, index + 1, undefined, options);
      return values.get(spec.output)!;
    });
    try {
      for (const next of this.specs.slice(segment + 1)) {
        const out = this.segment(next).forward(current, options);
        if (current !== activation) current.dispose();
        current = out;
      }
    } catch (e) {
      if (current !== activation) current.dispose();
      throw e;
    }
    return current as tf.Tensor2D;
  }

  /** Frees every variable; the model is unusable afterwards. */
  dispose(): void {
    for (const v of this.variables.values()) v.dispose();
    this.variables.clear();
  }

  private segment(spec: SegmentSpec): Segment {
    const variableKeys = spec.nodes
      .flatMap((n) => n.state)
      .filter((e) => e.kind === 'parameter')
      .map((e) => e.key);
    return {
      name: spec.name,
      variableKeys,
      variables: variableKeys.map((k) => this.variable(k)),
      forward: (x, options) =>
        tf.tidy(() => {
          const values = new Map<string, tf.Tensor>([[spec.input, x]]);
          this.runNodes(spec, values, 0, undefined, options);
          return values.get(spec.output)!;
        }),
    };
  }

  /**
   * Runs spec.nodes[from..] on `values` (node name -> output), adding each output, until the node named
   * `stop` (when given) has run. Call inside tf.tidy.
   */
  private runNodes(
    spec: SegmentSpec,
    values: Map<string, tf.Tensor>,
    from: number,
    stop: string | undefined,
    options: ForwardOptions,
  ): void {
    for (let i = from; i < spec.nodes.length; i++) {
      const node = spec.nodes[i]!;
      const inputs = node.inputs.map((name) => values.get(name)!);
      if (node.op === 'batchNorm' && this.fused.has(node.name)) {
        // norm -> relu as one op: its output is the ReLU's; the BatchNorm's alone is never read.
        const relu = spec.nodes[++i]!;
        values.set(relu.name, batchNorm(node, inputs[0] as tf.Tensor5D, this.nodeState, options, true));
        if (relu.name === stop) return;
      } else {
        values.set(node.name, runNode(node, inputs, this.nodeState, options));
        if (node.name === stop) return;
      }
    }
  }

  /** The segment and the position within it of node `name`, checked to be a materialised output. */
  private locate(fn: string, name: string): { segment: number; index: number } {
    for (let segment = 0; segment < this.specs.length; segment++) {
      const index = this.specs[segment]!.nodes.findIndex((n) => n.name === name);
      if (index < 0) continue;
      if (this.fused.has(name))
        throw new VoxlabError(
          'BAD_ARGUMENT',
          `TfModel.${fn}: ${name} runs fused with the ReLU after it; use that ReLU's name`,
        );
      return { segment, index };
    }
    throw new VoxlabError('NOT_FOUND', `TfModel.${fn}: the model has no node ${name}`);
  }

  private newVariable(entry: StateEntry, torchValues: Float32Array): tf.Variable {
    const perm = torchToTfPerm(entry.shape.length);
    const shape = permuteShape(entry.shape, perm);
    return tf.tidy(() =>
      tf.variable(
        tf.tensor(permute(torchValues, entry.shape, perm), shape, 'float32'),
        entry.kind === 'parameter',
      ),
    );
  }

  /** Checks rank, channels and that every window op fits the spatial size; throws SHAPE_MISMATCH. */
  private checkInput(x: tf.Tensor): void {
    const channels = this.description.input.shape[0];
    const fail = (why: string) =>
      new VoxlabError(
        'SHAPE_MISMATCH',
        `TfModel.forward: input [${x.shape.join(', ')}] ${why}; expected NDHWC [batch, depth, height, width, ${channels}]`,
      );
    if (x.rank !== 5 || x.shape[4] !== channels) throw fail('has the wrong rank or channel count');
    let spatial = x.shape.slice(1, 4);
    for (const node of this.description.nodes) {
      if (node.op !== 'conv' && node.op !== 'maxPool' && node.op !== 'avgPool') continue;
      spatial = spatial.map((n) =>
        windowOutput(n, node.kernel, node.stride, node.op === 'avgPool' ? 0 : node.padding),
      );
      if (spatial.some((n) => n < 1)) throw fail(`is too small: ${node.name} would have no output`);
    }
  }
}

/** MONAI's DenseNet (DenseNet121 by default) for inputs of `inputSize` voxels, initialised from `seed`. */
export function createDenseNet(
  config: Partial<DenseNetConfig> = {},
  options: CreateModelOptions & { inputSize?: readonly number[] } = {},
): TfModel<DenseNetConfig> {
  return new TfModel(describeDenseNet(config, options.inputSize ?? DEFAULT_INPUT_SIZE), options);
}
