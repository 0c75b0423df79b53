// Builds a ModelDescription one PyTorch module at a time, tracking each output's shape and state_dict
// entries (with PyTorch's and MONAI's initialisers), so architecture files read like the PyTorch code.

import { VoxlabError } from '../common/errors.js';
import type { InitSpec, ModelDescription, ModelNode, StateEntry, StateRole } from './graph.js';

/** BatchNorm defaults of PyTorch (eps 1e-5, momentum 0.1 in PyTorch terms: new = 0.9 old + 0.1 batch). */
export const BATCH_NORM_EPS = 1e-5;
export const BATCH_NORM_MOMENTUM = 0.1;

type NodeFields<N> = N extends ModelNode ? Omit<N, 'inputs' | 'outputShape' | 'segment' | 'state'> : never;

/** Output length of a window op along one axis, as PyTorch computes it (floor, ceil_mode=False). */
export function windowOutput(size: number, kernel: number, stride: number, padding: number): number {
  return Math.floor((size + 2 * padding - kernel) / stride) + 1;
}

/** Appends nodes in execution order; every method reads the last node's output unless told otherwise. */
export class GraphBuilder {
  private readonly nodes: ModelNode[] = [];
  private readonly shapes = new Map<string, readonly number[]>();
  private last = 'input';
  private segment = '';

  /** `inputShape` is per sample, channels first: [channels, depth, height, width]. */
  constructor(private readonly inputShape: readonly number[]) {
    this.shapes.set('input', inputShape);
  }

  /** The name and per-sample shape of the last output. */
  get current(): { name: string; shape: readonly number[] } {
    return { name: this.last, shape: this.shapes.get(this.last)! };
  }

  /** Nodes added from now on belong to segment `name`. */
  startSegment(name: string): void {
    this.segment = name;
  }

  /** Conv3d without bias; weight [out, in, k, k, k] initialised Kaiming-normal (fan_in, gain sqrt(2)). */
  conv(name: string, outChannels: number, kernel: number, stride = 1, padding = 0): void {
    const [inChannels, ...spatial] = this.current.shape;
    const fanIn = inChannels! * kernel ** 3;
    // torch.nn.init.kaiming_normal_ defaults (MONAI densenet.py calls it bare): a=0, mode='fan_in',
    // nonlinearity='leaky_relu', so gain = sqrt(2 / (1 + a^2)) = sqrt(2) and std = gain / sqrt(fan_in).
    const init: InitSpec = { kind: 'kaimingNormal', fanIn, std: Math.sqrt(2 / fanIn) };
    const out = [outChannels, ...spatial.map((n) => this.spatialOut(name, n, kernel, stride, padding))];
    const state = [
      entry(name, 'weight', 'parameter', [outChannels, inChannels!, kernel, kernel, kernel], init),
    ];
    this.add({ op: 'conv', name, kernel, stride, padding, bias: false }, out, state);
  }

  /** BatchNorm3d over the channel axis: weight 1, bias 0 (MONAI), running_mean 0, running_var 1, count 0. */
  batchNorm(name: string): void {
    const c = this.current.shape[0]!;
    const state = [
      entry(name, 'weight', 'parameter', [c], constant(1)),
      entry(name, 'bias', 'parameter', [c], constant(0)),
      entry(name, 'running_mean', 'buffer', [c], constant(0)),
      entry(name, 'running_var', 'buffer', [c], constant(1)),
      { ...entry(name, 'num_batches_tracked', 'buffer', [], constant(0)), dtype: 'I64' as const },
    ];
    this.add(
      { op: 'batchNorm', name, eps: BATCH_NORM_EPS, momentum: BATCH_NORM_MOMENTUM },
      this.current.shape,
      state,
    );
  }

  relu(name: string): void {
    this.add({ op: 'relu', name }, this.current.shape, []);
  }

  /** MaxPool3d; PyTorch pads with -infinity, so padded voxels never win. */
  maxPool(name: string, kernel: number, stride: number, padding: number): void {
    const [c, ...spatial] = this.current.shape;
    const out = [c!, ...spatial.map((n) => this.spatialOut(name, n, kernel, stride, padding))];
    this.add({ op: 'maxPool', name, kernel, stride, padding }, out, []);
  }

  /** AvgPool3d without padding. */
  avgPool(name: string, kernel: number, stride: number): void {
    const [c, ...spatial] = this.current.shape;
    const out = [c!, ...spatial.map((n) => this.spatialOut(name, n, kernel, stride, 0))];
    this.add({ op: 'avgPool', name, kernel, stride }, out, []);
  }

  dropout(name: string, p: number): void {
    this.add({ op: 'dropout', name, p }, this.current.shape, []);
  }

  /** torch.cat([a, b], 1): channels add up, spatial sizes must agree. */
  concat(name: string, a: string, b: string): void {
    const [ca, ...sa] = this.shapes.get(a)!;
    const [cb, ...sb] = this.shapes.get(b)!;
    if (sa.join() !== sb.join())
      throw new VoxlabError('MODEL_INVALID', `concat ${name}: spatial sizes differ (${sa} vs ${sb})`);
    this.add({ op: 'concat', name }, [ca! + cb!, ...sa], [], [a, b]);
  }

  globalAvgPool(name: string): void {
    this.add({ op: 'globalAvgPool', name }, [this.current.shape[0]!, 1, 1, 1], []);
  }

  flatten(name: string): void {
    this.add({ op: 'flatten', name }, [this.current.shape.reduce((a, b) => a * b, 1)], []);
  }

  /**
   * nn.Linear: weight [out, in] with PyTorch's default init, kaiming_uniform_(a=sqrt(5)), which is
   * U(-1/sqrt(in), 1/sqrt(in)); bias 0 (MONAI overrides PyTorch's default bias init).
   */
  linear(name: string, outFeatures: number): void {
    const inFeatures = this.current.shape[0]!;
    const state = [
      entry(name, 'weight', 'parameter', [outFeatures, inFeatures], {
        kind: 'uniform',
        bound: 1 / Math.sqrt(inFeatures),
      }),
      entry(name, 'bias', 'parameter', [outFeatures], constant(0)),
    ];
    this.add({ op: 'linear', name }, [outFeatures], state);
  }

  /** The finished description; the last node added is the output. */
  build<Config>(family: string, config: Config): ModelDescription<Config> {
    return {
      family,
      config,
      input: { name: 'input', shape: this.inputShape },
      nodes: [...this.nodes],
      output: this.last,
    };
  }

  private add<N extends ModelNode>(
    fields: NodeFields<N>,
    outputShape: readonly number[],
    state: StateEntry[],
    inputs = [this.last],
  ): void {
    if (this.shapes.has(fields.name))
      throw new VoxlabError('MODEL_INVALID', `GraphBuilder: node ${fields.name} added twice`);
    const node = { ...fields, inputs, outputShape, segment: this.segment, state } as ModelNode;
    this.nodes.push(node);
    this.shapes.set(node.name, outputShape);
    this.last = node.name;
  }

  private spatialOut(name: string, size: number, kernel: number, stride: number, padding: number): number {
    const out = windowOutput(size, kernel, stride, padding);
    if (out < 1) {
      throw new VoxlabError(
        'MODEL_INVALID',
        `${name}: a ${kernel}^3 window (stride ${stride}, padding ${padding}) does not fit ${size} voxels; ` +
          `the input [${this.inputShape.slice(1).join(', ')}] is too small for this network`,
        { node: name, size, inputShape: [...this.inputShape] },
      );
    }
    return out;
  }
}

function constant(value: number): InitSpec {
  return { kind: 'constant', value };
}

function entry(
  module: string,
  role: StateRole,
  kind: 'parameter' | 'buffer',
  shape: number[],
  init: InitSpec,
): StateEntry {
  return { key: `${module}.${role}`, role, kind, dtype: 'F32', shape, init };
}
