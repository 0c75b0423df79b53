// Where an occlusion reaches inside DenseNet's first dense block, for incremental occlusion sensitivity
// (Krypton: Nakandala et al., "Incremental and Approximate Inference for Faster Occlusion-based Deep CNN
// Explanations", SIGMOD 2019). Occluding a window of the input changes only a box of each early feature
// map; recomputing just those boxes, exactly, replaces most of the stem's and block 1's work, which is
// ~73% of DenseNet121-3D's FLOPs at 96^3.
//
// Indices are voxel indices along one axis of NCDHW tensors (D, H, W); a Span is half-open [lo, hi).

import { VoxlabError } from '../../common/errors.js';
import type { ModelDescription, ModelNode } from '../../model/index.js';

/** A half-open index range [lo, hi) along one axis. */
export interface Span {
  readonly lo: number;
  readonly hi: number;
}

/** One span per spatial axis: depth, height, width. */
export type Box3 = readonly [Span, Span, Span];

/** A cubic sliding-window op (conv or pool) along one axis, PyTorch's kernel/stride/padding. */
export interface WindowOp {
  readonly kernel: number;
  readonly stride: number;
  readonly padding: number;
}

/**
 * The outputs of `op` (output length `outSize`) whose window reads at least one input in `changed`,
 * clipped to [0, outSize). Output o reads inputs [stride*o - padding, stride*o - padding + kernel).
 */
export function reachedOutputs(changed: Span, op: WindowOp, outSize: number): Span {
  const lo = Math.ceil((changed.lo + op.padding - op.kernel + 1) / op.stride);
  const hi = Math.floor((changed.hi - 1 + op.padding) / op.stride) + 1;
  return { lo: Math.max(0, lo), hi: Math.min(outSize, hi) };
}

/** The inputs that outputs `out` read, padding included (so lo may be < 0 and hi > the input length). */
export function neededInputs(out: Span, op: WindowOp): Span {
  return { lo: op.stride * out.lo - op.padding, hi: op.stride * (out.hi - 1) - op.padding + op.kernel };
}

/** `span` grown by `by` on both sides and clipped to [0, size). */
export function grow(span: Span, by: number, size: number): Span {
  return { lo: Math.max(0, span.lo - by), hi: Math.min(size, span.hi + by) };
}

/**
 * A span of fixed `length` that contains `span` and lies inside [0, size): the same crop size for every
 * window of a batch lets the batch run as one tensor (as MONAI moves its last window back to fit).
 */
export function place(span: Span, length: number, size: number): Span {
  if (length > size || span.hi - span.lo > length) {
    throw new VoxlabError('INTERNAL', `place: cannot fit [${span.lo}, ${span.hi}) in ${length} of ${size}`);
  }
  const lo = Math.min(span.lo, size - length);
  return { lo, hi: lo + length };
}

/**
 * What the incremental engine needs to know about a DenseNet description: the stem's conv and pool, the
 * first block's dense layers, and the node whose output (the block's concatenated features) feeds the
 * rest of the network.
 */
export interface DenseNetBlockLayout {
  /** Input spatial shape [D, H, W]. */
  readonly inputShape: readonly [number, number, number];
  readonly conv0: WindowOp;
  /** conv0's output spatial shape. */
  readonly conv0Shape: readonly [number, number, number];
  readonly pool0: WindowOp;
  /** The block's spatial shape (pool0's output). */
  readonly featureShape: readonly [number, number, number];
  /** Channels out of the stem (init_features). */
  readonly stemChannels: number;
  /** Channels each dense layer adds (growth_rate). */
  readonly growth: number;
  /** Module names of block 1's dense layers, in order (e.g. features.denseblock1.denselayer1). */
  readonly layers: readonly string[];
  /** The block's last concat node: its output [stemChannels + layers*growth, ...featureShape] feeds the rest. */
  readonly blockOutput: string;
  /** Spatial reach of each dense layer's 3^3 conv (its padding, 1). */
  readonly layerReach: number;
}

function node(description: ModelDescription, name: string): ModelNode {
  const found = description.nodes.find((n) => n.name === name);
  if (found === undefined) throw notDenseNet(`it has no node ${name}`);
  return found;
}

function notDenseNet(why: string): VoxlabError {
  return new VoxlabError('MODEL_INVALID', `incremental occlusion needs a MONAI DenseNet description: ${why}`);
}

function spatial(shape: readonly number[]): [number, number, number] {
  return [shape[1]!, shape[2]!, shape[3]!];
}

/** Reads the layout off a DenseNet description (core/model/densenet.ts); MODEL_INVALID for anything else. */
export function denseNetBlockLayout(description: ModelDescription): DenseNetBlockLayout {
  if (description.family !== 'DenseNet') throw notDenseNet(`its family is ${description.family}`);
  const conv0 = node(description, 'features.conv0');
  const pool0 = node(description, 'features.pool0');
  if (conv0.op !== 'conv' || pool0.op !== 'maxPool') throw notDenseNet('conv0/pool0 have unexpected ops');
  const layers: string[] = [];
  for (let l = 1; description.nodes.some((n) => n.name === `features.denseblock1.denselayer${l}.cat`); l++) {
    layers.push(`features.denseblock1.denselayer${l}`);
  }
  if (layers.length === 0) throw notDenseNet('it has no features.denseblock1');
  const conv2 = node(description, `${layers[0]}.layers.conv2`);
  if (conv2.op !== 'conv' || conv2.kernel !== 2 * conv2.padding + 1 || conv2.stride !== 1) {
    throw notDenseNet('its dense layers are not 3^3 same-padded convolutions');
  }
  const input = description.input.shape;
  return {
    inputShape: [input[1]!, input[2]!, input[3]!],
    conv0: { kernel: conv0.kernel, stride: conv0.stride, padding: conv0.padding },
    conv0Shape: spatial(conv0.outputShape),
    pool0: { kernel: pool0.kernel, stride: pool0.stride, padding: pool0.padding },
    featureShape: spatial(pool0.outputShape),
    stemChannels: pool0.outputShape[0]!,
    growth: conv2.outputShape[0]!,
    layers,
    blockOutput: `${layers[layers.length - 1]}.cat`,
    layerReach: conv2.padding,
  };
}

/** The changed box of the stem's output (block input) and of each dense layer's output, for one window. */
export interface WindowReach {
  readonly stem: Box3;
  /** layers[l] = the box where dense layer l+1's new channels differ from the unoccluded ones. */
  readonly layers: readonly Box3[];
}

/** How far an occlusion of `window` (a box of the input) reaches through the stem and block 1. */
export function windowReach(layout: DenseNetBlockLayout, window: Box3): WindowReach {
  const stem = [0, 1, 2].map((a) => {
    const conv = reachedOutputs(window[a]!, layout.conv0, layout.conv0Shape[a]!);
    return reachedOutputs(conv, layout.pool0, layout.featureShape[a]!);
  }) as unknown as Box3;
  const layers: Box3[] = [];
  let box = stem;
  for (let l = 0; l < layout.layers.length; l++) {
    box = box.map((s, a) => grow(s, layout.layerReach, layout.featureShape[a]!)) as unknown as Box3;
    layers.push(box);
  }
  return { stem, layers };
}

/** Per-axis crop lengths shared by a batch: the largest reach of any of its windows, per piece. */
export interface CropSizes {
  readonly stem: readonly [number, number, number];
  readonly layers: readonly (readonly [number, number, number])[];
}

/** The crop sizes that hold every window's reach (computed once for all windows of a run). */
export function cropSizes(reaches: readonly WindowReach[]): CropSizes {
  const longest = (boxes: readonly Box3[]): [number, number, number] =>
    [0, 1, 2].map((a) => Math.max(1, ...boxes.map((b) => b[a]!.hi - b[a]!.lo))) as [number, number, number];
  const nLayers = reaches[0]?.layers.length ?? 0;
  return {
    stem: longest(reaches.map((r) => r.stem)),
    layers: Array.from({ length: nLayers }, (_, l) => longest(reaches.map((r) => r.layers[l]!))),
  };
}

/** Where one window's crops sit: fixed-size boxes inside the feature map that contain its reach. */
export interface WindowCrops {
  /** Stem output box (size cropSizes.stem). */
  readonly stem: Box3;
  /** conv0 output box the stem crop computes (pool0's needed inputs; may leave the map: masked). */
  readonly stemConv: Box3;
  /** Input box the stem crop reads (conv0's needed inputs; zero outside the volume). */
  readonly stemInput: Box3;
  /** Each dense layer's output box (size cropSizes.layers[l]). */
  readonly layers: readonly Box3[];
  /** Each dense layer's input box: the output box grown by the layer's reach (may leave the map: masked). */
  readonly layerInputs: readonly Box3[];
}

/** Places one window's crops (see `place`) and derives the input boxes they read. */
export function windowCrops(layout: DenseNetBlockLayout, reach: WindowReach, sizes: CropSizes): WindowCrops {
  const stem = [0, 1, 2].map((a) =>
    place(reach.stem[a]!, sizes.stem[a]!, layout.featureShape[a]!),
  ) as unknown as Box3;
  const stemConv = stem.map((s) => neededInputs(s, layout.pool0)) as unknown as Box3;
  const stemInput = stemConv.map((s) => neededInputs(s, layout.conv0)) as unknown as Box3;
  const layers = reach.layers.map(
    (box, l) =>
      [0, 1, 2].map((a) => place(box[a]!, sizes.layers[l]![a]!, layout.featureShape[a]!)) as unknown as Box3,
  );
  const r = layout.layerReach;
  const layerInputs = layers.map(
    (box) => box.map((s) => ({ lo: s.lo - r, hi: s.hi + r })) as unknown as Box3,
  );
  return { stem, stemConv, stemInput, layers, layerInputs };
}

/** [D, H, W] lengths of a box. */
export function boxShape(box: Box3): [number, number, number] {
  return [box[0].hi - box[0].lo, box[1].hi - box[1].lo, box[2].hi - box[2].lo];
}
