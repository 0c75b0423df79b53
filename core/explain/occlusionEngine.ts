// The pluggable part of occlusion sensitivity: whatever turns a batch of occlusions of one input into
// logits. The plain engine builds every occluded volume in full and calls the classifier; a faster engine
// (incremental inference as in Krypton, Nakandala et al., SIGMOD 2019: reuse the unoccluded activations and
// recompute only the region an occlusion can reach, e.g. on ONNX sub-models) can replace it behind the
// same interface without touching the window layout, the occluders or the aggregation.

import { VoxlabError } from '../common/errors.js';
import type { Classifier } from '../infer/classifier.js';

/**
 * One occluded copy of the input: the box [start, start + size) (voxels, [depth, height, width] of the
 * input) holds `patch` instead of the input's values; everything else is the input unchanged. `patch` is
 * [channels, size0, size1, size2], C order, all channels.
 */
export interface Occlusion {
  readonly start: readonly [number, number, number];
  readonly size: readonly [number, number, number];
  readonly patch: Float32Array;
}

/**
 * Evaluates occlusions of one fixed input (given to the factory). An engine may precompute anything from
 * the input (an incremental engine would cache the unoccluded activations) and must give the same logits
 * the classifier gives on the full occluded volumes, to float rounding.
 */
export interface OcclusionEngine {
  /** Logits [occlusions.length, classes], C order, in the order given. */
  logits(occlusions: readonly Occlusion[]): Promise<Float32Array>;
  /** Frees what the engine built (not the classifier). Idempotent. */
  dispose(): Promise<void>;
}

/**
 * Makes an engine for `input` ([channels, depth, height, width] C order, one sample of
 * classifier.inputShape). `maxBatch` is the most occlusions one logits() call will get.
 */
export type OcclusionEngineFactory = (
  classifier: Classifier,
  input: Float32Array,
  maxBatch: number,
) => OcclusionEngine | Promise<OcclusionEngine>;

/**
 * The plain engine: copies the input once per occlusion into one reused batch buffer, writes each patch,
 * and calls classifier.predict on the batch (n = occlusions.length).
 */
export const plainOcclusionEngine: OcclusionEngineFactory = (classifier, input, maxBatch) => {
  const [channels, depth, height, width] = classifier.inputShape;
  const sample = channels * depth * height * width;
  let buffer: Float32Array | null = new Float32Array(sample * maxBatch);
  return {
    async logits(occlusions) {
      if (buffer === null)
        throw new VoxlabError('BAD_ARGUMENT', 'plainOcclusionEngine: used after dispose()');
      if (occlusions.length < 1 || occlusions.length > maxBatch)
        throw new VoxlabError(
          'BAD_ARGUMENT',
          `plainOcclusionEngine: got ${occlusions.length} occlusions, expected 1..${maxBatch}`,
        );
      occlusions.forEach((o, b) => {
        const target = buffer!.subarray(b * sample, (b + 1) * sample);
        target.set(input);
        writePatch(target, [channels, depth, height, width], o);
      });
      return classifier.predict(buffer.subarray(0, occlusions.length * sample), occlusions.length);
    },
    dispose() {
      buffer = null;
      return Promise.resolve();
    },
  };
};

/** Writes `o.patch` into `volume` ([channels, depth, height, width] C order) at o.start. */
export function writePatch(volume: Float32Array, shape: readonly number[], o: Occlusion): void {
  const [channels, depth, height, width] = shape as [number, number, number, number];
  const [s0, s1, s2] = o.start;
  const [m0, m1, m2] = o.size;
  let p = 0;
  for (let c = 0; c < channels; c++)
    for (let i = 0; i < m0; i++)
      for (let j = 0; j < m1; j++) {
        const row = ((c * depth + s0 + i) * height + s1 + j) * width + s2;
        volume.set(o.patch.subarray(p, p + m2), row);
        p += m2;
      }
}

/** Reads the box [start, start + size) of all channels of `volume` as [channels, ...size], C order. */
export function readPatch(
  volume: Float32Array,
  shape: readonly number[],
  start: readonly [number, number, number],
  size: readonly [number, number, number],
): Float32Array {
  const [channels, depth, height, width] = shape as [number, number, number, number];
  const out = new Float32Array(channels * size[0] * size[1] * size[2]);
  let p = 0;
  for (let c = 0; c < channels; c++)
    for (let i = 0; i < size[0]; i++)
      for (let j = 0; j < size[1]; j++) {
        const row = ((c * depth + start[0] + i) * height + start[1] + j) * width + start[2];
        out.set(volume.subarray(row, row + size[2]), p);
        p += size[2];
      }
  return out;
}
