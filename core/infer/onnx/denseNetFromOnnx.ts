// Finds MONAI's DenseNet (core/model/densenet.ts) in an ONNX graph by its structure, not its names, and
// reads the weights back as a MONAI state_dict, so that code written for our description (the incremental
// occlusion engine) can run a model given only as .onnx. Two exports are known: ours (exportOnnx, one
// ONNX node per description node) and MONAI's torch.onnx.export in eval mode, which folds every BatchNorm
// that follows a Conv into it (conv0+norm0, each dense layer's conv1+norm2: a Conv with a bias) and hides
// equal weights behind Identity nodes. A folded BatchNorm comes back as an identity BatchNorm carrying the
// conv's bias (weight 1, mean 0, var 1 - eps, so var + eps is exactly 1 in float32): same function, same
// description.

import { VoxlabError } from '../../common/errors.js';
import {
  BATCH_NORM_EPS,
  describeDenseNet,
  numel,
  stateEntries,
  type DenseNetConfig,
  type ModelDescription,
} from '../../model/index.js';
import type { StateDict } from '../stateDict.js';
import { OnnxGraphIndex } from './OnnxGraphIndex.js';
import { readOnnxGraph, type OnnxGraphContents, type OnnxGraphNode } from './readOnnxGraph.js';

export type OnnxDenseNet =
  | {
      readonly found: true;
      readonly description: ModelDescription<DenseNetConfig>;
      readonly state: StateDict;
      /** BatchNorms folded into the conv before them in the file (0 in ours; in MONAI's, norm0 and every norm2). */
      readonly foldedBatchNorms: number;
    }
  | { readonly found: false; readonly reason: string };

/**
 * The DenseNet in `model` (.onnx bytes or a graph read by readOnnxGraph) with its weights, or why it is
 * not one: `reason` completes "the ONNX graph is not a MONAI DenseNet: ...". `inputSize` ([depth, height,
 * width]) is used when the graph's spatial input dims are symbolic. Never throws for a graph it does not
 * recognise; the graph must be the whole network (input to logits).
 */
export function denseNetFromOnnx(
  model: Uint8Array | OnnxGraphContents,
  inputSize: readonly number[] | null = null,
): OnnxDenseNet {
  try {
    const graph = model instanceof Uint8Array ? readOnnxGraph(model) : model;
    const walked = new DenseNetWalk(graph).run();
    const size = spatialSize(graph, inputSize);
    const description = describeDenseNet(walked.config, size);
    return {
      found: true,
      description,
      state: checkState(description, walked.state),
      foldedBatchNorms: walked.folded,
    };
  } catch (e) {
    if (e instanceof VoxlabError) return { found: false, reason: e.message };
    throw e;
  }
}

interface Weight {
  readonly dims: readonly number[];
  readonly data: Float32Array;
}

interface Window {
  readonly kernel: number;
  readonly stride: number;
  readonly pad: number;
}

function notDenseNet(why: string): VoxlabError {
  return new VoxlabError('MODEL_INVALID', why);
}

const BN_ROLES = ['weight', 'bias', 'running_mean', 'running_var'] as const;

/** Walks the graph from its input along MONAI DenseNet's modules, collecting weights by state_dict key. */
class DenseNetWalk {
  private readonly g: OnnxGraphIndex;
  private readonly state = new Map<string, Weight>();
  private folded = 0;
  private growth = 0;
  private bottleneck = 0;

  constructor(private readonly graph: OnnxGraphContents) {
    this.g = new OnnxGraphIndex(graph);
  }

  run(): { config: DenseNetConfig; state: Map<string, Weight>; folded: number } {
    const g = this.graph;
    if (g.inputs.length !== 1 || g.outputs.length !== 1)
      throw notDenseNet(`it has ${g.inputs.length} inputs and ${g.outputs.length} outputs, not one of each`);
    const input = g.inputs[0]!;
    if (input.elemType !== 1 || input.shape?.length !== 5)
      throw notDenseNet(`its input ${input.name} is not a float32 [N, C, D, H, W] volume`);
    let x = this.stem(input.name);
    const blockConfig: number[] = [];
    for (let b = 1; ; b++) {
      const [layers, out] = this.denseBlock(x, b);
      blockConfig.push(layers);
      // A BatchNorm and ReLU follow the block: transition{b}'s if a conv comes next, else norm5 and the head.
      const bn = this.g.next(out, 'BatchNormalization', `the BatchNorm after features.denseblock${b}`);
      const relu = this.g.next(bn.outputs[0]!, 'Relu', `the ReLU after features.denseblock${b}`).outputs[0]!;
      const after = this.g.onlyReader(this.g.skipPassThrough(relu), `the ReLU after features.denseblock${b}`);
      if (after.opType !== 'Conv') {
        this.batchNorm(bn, 'features.norm5');
        this.head(relu);
        break;
      }
      this.batchNorm(bn, `features.transition${b}.norm`);
      x = this.transition(after, `features.transition${b}`);
    }
    this.g.checkAllVisited();
    const { growth, bottleneck } = this;
    if (bottleneck % growth !== 0)
      throw notDenseNet(
        `its bottleneck (${bottleneck} channels) is not a multiple of the growth rate (${growth})`,
      );
    const [initFeatures, inChannels] = this.state.get('features.conv0.weight')!.dims;
    const config: DenseNetConfig = {
      inChannels: inChannels!,
      outChannels: this.state.get('class_layers.out.weight')!.dims[0]!,
      initFeatures: initFeatures!,
      growthRate: growth,
      bnSize: bottleneck / growth,
      blockConfig,
      dropoutProb: 0,
    };
    return { config, state: this.state, folded: this.folded };
  }

  /** conv0 (+ norm0, or folded into conv0), relu0, pool0; returns pool0's output. */
  private stem(input: string): string {
    const conv0 = this.g.next(input, 'Conv', 'features.conv0');
    let x = this.convBn(conv0, 'features.conv0', 'features.norm0', { kernel: 7, stride: 2, pad: 3 });
    x = this.g.next(x, 'Relu', 'features.relu0').outputs[0]!;
    const pool0 = this.g.next(x, 'MaxPool', 'features.pool0');
    this.window(pool0, 'features.pool0', { kernel: 3, stride: 2, pad: 1 });
    return pool0.outputs[0]!;
  }

  /** Dense layers from `x` on while a Concat reads the current value; returns [layers, block output]. */
  private denseBlock(input: string, b: number): [number, string] {
    let x = input;
    let layers = 0;
    for (;;) {
      const concat = this.g.readersOf(x).find((n) => n.opType === 'Concat');
      if (concat === undefined) break;
      const name = `features.denseblock${b}.denselayer${layers + 1}`;
      x = this.denseLayer(x, concat, name);
      layers++;
      const g2 = this.state.get(`${name}.layers.conv2.weight`)!.dims[0]!;
      const g1 = this.state.get(`${name}.layers.conv1.weight`)!.dims[0]!;
      if (this.growth === 0) [this.growth, this.bottleneck] = [g2, g1];
      if (g2 !== this.growth || g1 !== this.bottleneck)
        throw notDenseNet(
          `${name} has ${g2} new and ${g1} bottleneck channels, the first layer ${this.growth} and ${this.bottleneck}`,
        );
    }
    if (layers === 0) throw notDenseNet(`no dense layer found where features.denseblock${b} should start`);
    return [layers, x];
  }

  /** BN, ReLU, 1^3 conv (+ BN or folded), ReLU, 3^3 conv, concat with the layer's input; returns the concat. */
  private denseLayer(x: string, concat: OnnxGraphNode, name: string): string {
    const bn1 = this.g.readersOf(x).find((n) => n.opType === 'BatchNormalization');
    if (bn1 === undefined) throw notDenseNet(`${name} has no BatchNorm reading its input`);
    let y = this.batchNorm(bn1, `${name}.layers.norm1`);
    y = this.g.next(y, 'Relu', `${name}.layers.relu1`).outputs[0]!;
    const conv1 = this.g.next(y, 'Conv', `${name}.layers.conv1`);
    y = this.convBn(conv1, `${name}.layers.conv1`, `${name}.layers.norm2`, { kernel: 1, stride: 1, pad: 0 });
    y = this.g.next(y, 'Relu', `${name}.layers.relu2`).outputs[0]!;
    const conv2 = this.g.next(y, 'Conv', `${name}.layers.conv2`);
    if (this.conv(conv2, `${name}.layers.conv2`, { kernel: 3, stride: 1, pad: 1 }) !== null)
      throw notDenseNet(`${name}.layers.conv2 has a bias (MONAI's has none)`);
    const out = this.g.skipPassThrough(conv2.outputs[0]!);
    const [first, second] = concat.inputs;
    if (this.g.onlyReader(out, `${name}.layers.conv2`) !== concat || concat.inputs.length !== 2)
      throw notDenseNet(`${name}'s new channels do not go to its concat`);
    if (first !== x || second !== out || concat.attributes.get('axis') !== 1)
      throw notDenseNet(`${name}'s concat is not [input, new channels] along channels`);
    this.g.visit(concat);
    return concat.outputs[0]!;
  }

  /** The 1^3 conv, an optional zero Pad, AvgPool 2 stride 2 (the BN and ReLU before are read). */
  private transition(conv: OnnxGraphNode, name: string): string {
    this.g.visit(conv);
    if (this.conv(conv, `${name}.conv`, { kernel: 1, stride: 1, pad: 0 }) !== null)
      throw notDenseNet(`${name}.conv has a bias (MONAI's has none)`);
    let y = this.g.skipPassThrough(conv.outputs[0]!);
    const after = this.g.onlyReader(y, `${name}.conv`);
    if (after.opType === 'Pad') {
      // torch exports AvgPool3d (padding 0) as a Pad of zeros before AveragePool.
      const pads = after.inputs[1] ? this.g.int64s(after.inputs[1], `${name}.pool's padding`) : [];
      const own = after.attributes.get('pads');
      const nonZero = pads.some((p) => p !== 0n) || (Array.isArray(own) && own.some((p) => p !== 0));
      if ((after.attributes.get('mode') ?? 'constant') !== 'constant' || nonZero)
        throw notDenseNet(`${name}.pool pads its input`);
      y = this.g.visit(after).outputs[0]!;
    }
    const pool = this.g.next(y, 'AveragePool', `${name}.pool`);
    this.window(pool, `${name}.pool`, { kernel: 2, stride: 2, pad: 0 });
    return pool.outputs[0]!;
  }

  /** relu -> GlobalAveragePool -> Flatten(1) -> Gemm = the graph output. */
  private head(relu: string): void {
    const pool = this.g.next(relu, 'GlobalAveragePool', 'class_layers.pool');
    const flatten = this.g.next(pool.outputs[0]!, 'Flatten', 'class_layers.flatten');
    if ((flatten.attributes.get('axis') ?? 1) !== 1)
      throw notDenseNet('class_layers.flatten does not flatten from axis 1');
    const gemm = this.g.next(flatten.outputs[0]!, 'Gemm', 'class_layers.out');
    const a = gemm.attributes;
    if ((a.get('alpha') ?? 1) !== 1 || (a.get('beta') ?? 1) !== 1 || (a.get('transA') ?? 0) !== 0)
      throw notDenseNet('class_layers.out is a Gemm with alpha, beta or transA');
    const w = this.g.float(gemm.inputs[1]!, 'class_layers.out.weight');
    const transB = (a.get('transB') ?? 0) === 1;
    const [n, k] = transB ? [w.dims[0]!, w.dims[1]!] : [w.dims[1]!, w.dims[0]!];
    this.state.set('class_layers.out.weight', {
      dims: [n, k],
      data: transB ? w.data : transpose(w.data, k, n),
    });
    const bias = gemm.inputs[2]
      ? this.g.float(gemm.inputs[2], 'class_layers.out.bias').data
      : new Float32Array(n);
    this.state.set('class_layers.out.bias', { dims: [bias.length], data: bias });
    if (gemm.outputs[0] !== this.graph.outputs[0]!.name || this.g.readersOf(gemm.outputs[0]!).length > 0)
      throw notDenseNet('class_layers.out is not the graph output');
  }

  /**
   * A Conv (checked as `window`) and the BatchNorm after it, or the bias the export folded it into.
   * Records `<conv>.weight` and `<bn>.*`; returns the value after the BatchNorm.
   */
  private convBn(conv: OnnxGraphNode, convName: string, bnName: string, window: Window): string {
    const bias = this.conv(conv, convName, window);
    const out = this.g.skipPassThrough(conv.outputs[0]!);
    const after = this.g.onlyReader(out, convName);
    if (after.opType === 'BatchNormalization') {
      const y = this.batchNorm(after, bnName);
      if (bias !== null) {
        // BN(x + b) with mean m equals BN(x) with mean m - b.
        const mean = this.state.get(`${bnName}.running_mean`)!;
        this.state.set(`${bnName}.running_mean`, {
          dims: mean.dims,
          data: mean.data.map((m, i) => m - bias[i]!),
        });
      }
      return y;
    }
    const channels = this.state.get(`${convName}.weight`)!.dims[0]!;
    const vector = (fill: number) => ({ dims: [channels], data: new Float32Array(channels).fill(fill) });
    this.folded++;
    this.state.set(`${bnName}.weight`, vector(1));
    this.state.set(`${bnName}.bias`, bias === null ? vector(0) : { dims: [channels], data: bias });
    this.state.set(`${bnName}.running_mean`, vector(0));
    // fround(1 - eps) + fround(eps) is exactly 1 in float32: the BatchNorm adds the bias and nothing else.
    this.state.set(`${bnName}.running_var`, vector(Math.fround(1 - Math.fround(BATCH_NORM_EPS))));
    return out;
  }

  /** Checks a Conv's attributes against `w` and records its weight as `<name>.weight`; returns its bias or null. */
  private conv(node: OnnxGraphNode, name: string, w: Window): Float32Array | null {
    this.g.visit(node);
    const weight = this.g.float(node.inputs[1] ?? '', `${name}.weight`);
    if (weight.dims.length !== 5 || weight.dims.slice(2).some((d) => d !== w.kernel))
      throw notDenseNet(`${name}'s weight is [${weight.dims.join(', ')}], not a ${w.kernel}^3 kernel`);
    if ((node.attributes.get('group') ?? 1) !== 1) throw notDenseNet(`${name} is a grouped convolution`);
    this.window(node, name, w);
    this.state.set(`${name}.weight`, weight);
    const b = node.inputs[2];
    return b === undefined || b === '' ? null : this.g.float(b, `${name}.bias`).data;
  }

  /** Checks kernel_shape, strides, pads, dilations, auto_pad and ceil_mode of a Conv or pool. */
  private window(node: OnnxGraphNode, name: string, w: Window): void {
    const a = node.attributes;
    const all = (key: string, fallback: number, length: number, want: number): boolean => {
      const v = a.get(key) ?? new Array<number>(length).fill(fallback);
      return Array.isArray(v) && v.length === length && v.every((x) => x === want);
    };
    const ok =
      all('kernel_shape', w.kernel, 3, w.kernel) &&
      all('strides', 1, 3, w.stride) &&
      all('pads', 0, 6, w.pad) &&
      all('dilations', 1, 3, 1) &&
      (a.get('auto_pad') ?? 'NOTSET') === 'NOTSET' &&
      (a.get('ceil_mode') ?? 0) === 0;
    if (!ok)
      throw notDenseNet(
        `${name} (${node.opType}) is not kernel ${w.kernel}, stride ${w.stride}, padding ${w.pad} (kernel_shape ${String(a.get('kernel_shape'))}, strides ${String(a.get('strides'))}, pads ${String(a.get('pads'))})`,
      );
  }

  /** Records a BatchNormalization's four vectors under `name`; returns its output. */
  private batchNorm(node: OnnxGraphNode, name: string): string {
    this.g.visit(node);
    const eps = node.attributes.get('epsilon') ?? Math.fround(1e-5);
    if (eps !== Math.fround(BATCH_NORM_EPS))
      throw notDenseNet(`${name} has epsilon ${String(eps)}, not PyTorch's 1e-5`);
    if (
      (node.attributes.get('training_mode') ?? 0) !== 0 ||
      node.outputs.filter((o) => o !== '').length !== 1
    )
      throw notDenseNet(`${name} is a BatchNorm in training mode`);
    BN_ROLES.forEach((role, i) =>
      this.state.set(`${name}.${role}`, this.g.float(node.inputs[i + 1] ?? '', `${name}.${role}`)),
    );
    return node.outputs[0]!;
  }
}

/** [D, H, W] from the graph input when fixed, else `given`. */
function spatialSize(graph: OnnxGraphContents, given: readonly number[] | null): number[] {
  const dims = graph.inputs[0]!.shape!.slice(2);
  if (dims.every((d) => typeof d === 'number' && d > 0)) return dims as number[];
  if (given !== null && given.length === 3) return [...given];
  throw notDenseNet('its input size is symbolic and none was given (--input-size)');
}

/** The recorded weights checked against the description's state_dict entries (keys and shapes). */
function checkState(description: ModelDescription, found: ReadonlyMap<string, Weight>): StateDict {
  const out = new Map<string, Float32Array>();
  for (const e of stateEntries(description)) {
    if (e.dtype !== 'F32') continue;
    const w = found.get(e.key);
    if (w === undefined) throw notDenseNet(`no weight found for ${e.key}`);
    if (w.dims.join() !== e.shape.join() || w.data.length !== numel(e.shape))
      throw notDenseNet(
        `${e.key} is [${w.dims.join(', ')}], a DenseNet of this config needs [${e.shape.join(', ')}]`,
      );
    out.set(e.key, w.data);
  }
  return out;
}

/** [rows, cols] C order -> [cols, rows]. */
function transpose(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!;
  return out;
}
