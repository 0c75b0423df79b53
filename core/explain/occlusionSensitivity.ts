// Occlusion sensitivity (Zeiler & Fergus, "Visualizing and Understanding Convolutional Networks", ECCV 2014)
// with MONAI's parameters and semantics (monai/visualize/occlusion_sensitivity.py, 1.3.2 and 1.5.0): slide an
// occluding cube over the input, record the classifier's activated outputs, and average them per voxel
// over the windows that covered it. Lower = occluding there hurt the class more = more important.

import { VoxlabError } from '../common/errors.js';
import type { Classifier } from '../infer/classifier.js';
import { activate } from './activate.js';
import { plainOcclusionEngine, type OcclusionEngineFactory } from './occlusionEngine.js';
import { occluderFor } from './occluders.js';
import { planOcclusion, type OcclusionParams, type OcclusionPlan } from './occlusionParams.js';
import { importanceMap } from './occlusionWeights.js';

/** Progress after each batch of windows. */
export interface OcclusionProgress {
  readonly done: number;
  readonly total: number;
}

export interface OcclusionOptions extends OcclusionParams {
  /** What evaluates the occluded batches; default plainOcclusionEngine. */
  readonly engine?: OcclusionEngineFactory;
  readonly onProgress?: (progress: OcclusionProgress) => void;
  /** Checked before every batch; aborting rejects with VoxlabError CANCELLED. */
  readonly signal?: AbortSignal;
}

/** An occlusion map in model-input space. */
export interface OcclusionResult {
  readonly classes: readonly string[];
  /** [classes, depth, height, width] of `maps` = [classes, ...classifier.inputShape spatial]. */
  readonly shape: readonly [number, number, number, number];
  /**
   * Per-class maps, C order. Inside plan.box: MONAI's map (weighted mean of the activated outputs of the
   * windows covering each voxel). Outside the box (only with a bBox): the baseline value of the class,
   * i.e. "occluding here changes nothing", so the importance view is 0 there and a viewer overlay shows no
   * edge artefact. cropToBox() gives MONAI's cropped output.
   */
  readonly maps: Float32Array;
  /** Argmax over classes of `maps` per voxel ([depth, height, width]; MONAI's most_probable_class). */
  readonly mostProbable: Int32Array;
  /** Activated outputs of the unoccluded input [classes]. */
  readonly baseline: Float32Array;
  readonly plan: OcclusionPlan;
}

/**
 * Occlusion sensitivity of `classifier` at `input` ([channels, depth, height, width] C order, one sample of
 * classifier.inputShape, NCDHW without N as MONAI's x). Runs plan.windows occluded passes in batches of
 * nBatch plus one baseline pass. Throws SHAPE_MISMATCH for an input of the wrong length, BAD_VALUES for
 * non-finite voxels, BAD_ARGUMENT for bad parameters (see planOcclusion), CANCELLED when aborted.
 */
export async function occlusionSensitivity(
  classifier: Classifier,
  input: Float32Array,
  options: OcclusionOptions = {},
): Promise<OcclusionResult> {
  const inputShape = classifier.inputShape;
  const [channels, ...spatial] = inputShape;
  checkInput(input, inputShape);
  const plan = planOcclusion(spatial, options);
  const classes = classifier.classes.length;
  const occlude = occluderFor(plan, input, inputShape);
  const weights = importanceMap(plan.maskSize, plan.mode === 'gaussian');
  const acc = new Accumulator(plan, classes, weights);

  throwIfAborted(options.signal);
  const baselineLogits = await classifier.predict(input, 1);
  checkLogits(baselineLogits, 1, classes);
  const baseline = activate(baselineLogits, classes, plan.activation, channels);

  const windows = windowList(plan);
  const engine = await (options.engine ?? plainOcclusionEngine)(
    classifier,
    input,
    Math.min(plan.nBatch, windows.length),
  );
  try {
    for (let first = 0; first < windows.length; first += plan.nBatch) {
      throwIfAborted(options.signal);
      const batch = windows.slice(first, first + plan.nBatch).map(occlude);
      const logits = await engine.logits(batch);
      checkLogits(logits, batch.length, classes);
      const outputs = activate(logits, classes, plan.activation, channels);
      batch.forEach((o, b) => acc.add(o.start, outputs.subarray(b * classes, (b + 1) * classes)));
      options.onProgress?.({ done: first + batch.length, total: windows.length });
    }
  } finally {
    await engine.dispose();
  }
  const maps = acc.maps(baseline);
  return {
    classes: [...classifier.classes],
    shape: [classes, ...plan.spatial],
    maps,
    mostProbable: argmaxMap(maps, classes),
    baseline,
    plan,
  };
}

/**
 * MONAI's output for a result: the maps cropped to plan.box, [classes, ...box size] C order (MONAI returns
 * them as [1, classes, ...]).
 */
export function cropToBox(result: OcclusionResult): { shape: number[]; data: Float32Array } {
  const { start, end } = result.plan.box;
  const [classes, , h, w] = result.shape;
  const size = [0, 1, 2].map((d) => end[d]! - start[d]!) as [number, number, number];
  const data = new Float32Array(classes * size[0] * size[1] * size[2]);
  let p = 0;
  for (let c = 0; c < classes; c++)
    for (let i = start[0]; i < end[0]; i++)
      for (let j = start[1]; j < end[1]; j++) {
        const row = ((c * result.shape[1] + i) * h + j) * w;
        data.set(result.maps.subarray(row + start[2], row + end[2]), p);
        p += size[2];
      }
  return { shape: [classes, ...size], data };
}

/** Every window start, C order over the per-axis starts (MONAI's meshgrid 'ij' order). */
function windowList(plan: OcclusionPlan): [number, number, number][] {
  const list: [number, number, number][] = [];
  for (const a of plan.starts[0])
    for (const b of plan.starts[1]) for (const c of plan.starts[2]) list.push([a, b, c]);
  return list;
}

/** Weighted sums of window outputs and of weights over the search region (float64). */
class Accumulator {
  private readonly sums: Float64Array;
  private readonly weightSums: Float64Array;
  private readonly region: [number, number, number];

  constructor(
    private readonly plan: OcclusionPlan,
    private readonly classes: number,
    private readonly weights: Float32Array,
  ) {
    const { start, end } = plan.searchRegion;
    this.region = [0, 1, 2].map((d) => end[d]! - start[d]!) as [number, number, number];
    const n = this.region[0] * this.region[1] * this.region[2];
    this.sums = new Float64Array(classes * n);
    this.weightSums = new Float64Array(n);
  }

  add(start: readonly [number, number, number], outputs: Float32Array): void {
    const [m0, m1, m2] = this.plan.maskSize;
    const [r0, r1, r2] = this.region;
    const o = this.plan.searchRegion.start;
    const n = r0 * r1 * r2;
    let w = 0;
    for (let i = 0; i < m0; i++)
      for (let j = 0; j < m1; j++) {
        const row = ((start[0] - o[0] + i) * r1 + start[1] - o[1] + j) * r2 + start[2] - o[2];
        for (let k = 0; k < m2; k++, w++) {
          const weight = this.weights[w]!;
          this.weightSums[row + k]! += weight;
          for (let c = 0; c < this.classes; c++) this.sums[c * n + row + k]! += weight * outputs[c]!;
        }
      }
  }

  /** [classes, ...spatial]: the weighted means inside plan.box, `baseline` elsewhere. */
  maps(baseline: Float32Array): Float32Array {
    const [d0, d1, d2] = this.plan.spatial;
    const [, r1, r2] = this.region;
    const n = this.region[0] * r1 * r2;
    const o = this.plan.searchRegion.start;
    const { start, end } = this.plan.box;
    const maps = new Float32Array(this.classes * d0 * d1 * d2);
    for (let c = 0; c < this.classes; c++) maps.fill(baseline[c]!, c * d0 * d1 * d2, (c + 1) * d0 * d1 * d2);
    for (let i = start[0]; i < end[0]; i++)
      for (let j = start[1]; j < end[1]; j++)
        for (let k = start[2]; k < end[2]; k++) {
          const r = ((i - o[0]) * r1 + j - o[1]) * r2 + k - o[2];
          for (let c = 0; c < this.classes; c++)
            maps[((c * d0 + i) * d1 + j) * d2 + k] = this.sums[c * n + r]! / this.weightSums[r]!;
        }
    return maps;
  }
}

/** Argmax over the class axis of [classes, ...spatial] (first maximum wins, as torch.argmax). */
export function argmaxMap(maps: Float32Array, classes: number): Int32Array {
  const n = maps.length / classes;
  const out = new Int32Array(n);
  for (let v = 0; v < n; v++) {
    let best = maps[v]!;
    for (let c = 1; c < classes; c++) {
      const x = maps[c * n + v]!;
      if (x > best) {
        best = x;
        out[v] = c;
      }
    }
  }
  return out;
}

function checkInput(input: Float32Array, shape: readonly number[]): void {
  const n = shape.reduce((a, b) => a * b, 1);
  if (!(input instanceof Float32Array) || input.length !== n)
    throw new VoxlabError(
      'SHAPE_MISMATCH',
      `occlusionSensitivity: the input must be a Float32Array of ${n} values ([${shape.join(', ')}]), got ${input?.length}`,
    );
  for (let i = 0; i < input.length; i++)
    if (!Number.isFinite(input[i]!))
      throw new VoxlabError(
        'BAD_VALUES',
        `occlusionSensitivity: the input holds a non-finite value at index ${i}`,
      );
}

function checkLogits(logits: Float32Array, n: number, classes: number): void {
  if (logits.length !== n * classes)
    throw new VoxlabError(
      'SHAPE_MISMATCH',
      `occlusionSensitivity: the classifier returned ${logits.length} logits for ${n} samples of ${classes} classes`,
    );
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new VoxlabError('CANCELLED', 'occlusionSensitivity: cancelled');
}
