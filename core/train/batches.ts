// Turning preprocessed volumes into network batches: the epoch's seeded order, the training augmentations,
// and packing into one NDHWC float32 buffer.

import { VoxlabError } from '../common/errors.js';
import { SeededRandom } from '../common/random.js';
import { randFlip } from '../transforms/randFlip.js';
import { randRotate90 } from '../transforms/randRotate90.js';
import type { Tensor } from '../transforms/tensor.js';
import type { AugmentConfig } from './config.js';

/**
 * A 32-bit seed for one purpose of one epoch (and optionally one sample), mixed from the run seed so that
 * streams are independent and any epoch can be replayed without replaying the ones before it (that is
 * what makes resume exact). Mixing: murmur3's fmix32 over the words, folded in order.
 */
export function streamSeed(
  seed: number,
  purpose: 'shuffle' | 'augment' | 'dropout',
  epoch: number,
  sample = 0,
): number {
  let h = 0x9e3779b9;
  for (const word of [
    Math.floor(seed) >>> 0,
    Math.floor(seed / 2 ** 32) >>> 0,
    ['shuffle', 'augment', 'dropout'].indexOf(purpose) + 1,
    epoch,
    sample,
  ]) {
    h = Math.imul(h ^ word, 0x85ebca6b) >>> 0;
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** The training items' order in `epoch` (1-based): a seeded shuffle of `items`, which is not changed. */
export function epochOrder<T>(items: readonly T[], seed: number, epoch: number): T[] {
  return new SeededRandom(streamSeed(seed, 'shuffle', epoch)).shuffle([...items]);
}

/** Splits `items` into batches of `size`; the last may be smaller (PyTorch's drop_last=False). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Training batches of `size`: as chunk, except that a last batch of a single volume joins the one before
 * it. BatchNorm in training mode needs more than one value per channel, and DenseNet's last block is 1
 * voxel wide for 32³ inputs, so a lone volume would fail (PyTorch raises "Expected more than 1 value per
 * channel when training" in the same case).
 */
export function trainingBatches<T>(items: readonly T[], size: number): T[][] {
  const out = chunk(items, size);
  if (out.length > 1 && out[out.length - 1]!.length === 1) out[out.length - 2]!.push(...out.pop()!);
  return out;
}

/**
 * The training augmentations of MONAI's recipe on one [1, D, H, W] C-order input, drawn from a generator
 * seeded by (seed, epoch, position in the epoch): RandRotate90 then RandFlip, each skipped when null.
 * Returns `t` itself when no augmentation is configured (callers treat it as read-only), else a new tensor.
 * Spatial axes 0, 1, 2 are D, H, W (the file's voxel axes i, j, k).
 */
export function augmentVolume(
  t: Tensor,
  augment: AugmentConfig,
  seed: number,
  epoch: number,
  position: number,
): Tensor {
  if (augment.rotate90 === null && augment.flip === null) return t;
  const rng = new SeededRandom(streamSeed(seed, 'augment', epoch, position));
  let out = t;
  if (augment.rotate90 !== null) out = randRotate90(out, rng, augment.rotate90);
  if (augment.flip !== null) out = randFlip(out, rng, augment.flip);
  return out;
}

/**
 * Packs inputs of shape [1, s, s, s] (C order) into one buffer of shape [batch, s, s, s, 1]: NDHWC, as
 * tfjs conv3d wants. With one channel, channel-first [1, D, H, W] and channel-last [D, H, W, 1] are the
 * same bytes, so packing is a plain concatenation.
 */
export function packBatch(inputs: readonly Tensor[]): {
  data: Float32Array;
  shape: [number, number, number, number, number];
} {
  const first = inputs[0];
  if (first === undefined) throw new VoxlabError('BAD_ARGUMENT', 'packBatch: no inputs');
  const [c, d, h, w] = first.shape as [number, number, number, number];
  const per = first.data.length;
  const data = new Float32Array(per * inputs.length);
  inputs.forEach((t, i) => {
    if (t.shape.length !== 4 || t.shape[0] !== 1 || t.shape.join() !== first.shape.join()) {
      throw new VoxlabError(
        'SHAPE_MISMATCH',
        `packBatch: input ${i} has shape [${t.shape.join(', ')}], expected [${first.shape.join(', ')}] with 1 channel`,
      );
    }
    data.set(t.data, i * per);
  });
  return { data, shape: [inputs.length, d, h, w, c] };
}
