// MONAI's NormalizeIntensity (monai.transforms.NormalizeIntensity, 1.3.2): (v - subtrahend) / divisor,
// by default the z-score with the array's own mean and population standard deviation.

import { assert, VoxlabError } from '../common/errors.js';
import { checkTensor, type Tensor } from './tensor.js';

export interface NormalizeIntensityOptions {
  /** What to subtract; MONAI default None = the mean. One number, or one per channel with channelWise. */
  readonly subtrahend?: number | readonly number[] | null;
  /** What to divide by; MONAI default None = the standard deviation. Number or per channel, as above. */
  readonly divisor?: number | readonly number[] | null;
  /** Use and change only non-zero voxels; zeros stay 0. MONAI default false. */
  readonly nonzero?: boolean;
  /** Statistics per channel (first axis) instead of over the whole array. MONAI default false. */
  readonly channelWise?: boolean;
}

/**
 * Normalizes a tensor (channel-first [C, ...] when channelWise) like MONAI 1.3.2:
 * - mean and std are computed over all voxels (or the non-zero ones), std with ddof 0
 *   (MONAI: torch.std(x, unbiased=False) / np.std), in float64 here (MONAI: float32);
 * - a divisor of 0 (computed, e.g. a constant image, or given) is replaced by 1, so a constant image
 *   becomes all zeros;
 * - with nonzero and no non-zero voxel, the values are returned unchanged.
 * Throws BAD_ARGUMENT for a malformed tensor or options (a per-channel list without channelWise, or
 * of the wrong length), BAD_VALUES when NaN or infinities would poison the statistics.
 */
export function normalizeIntensity(t: Tensor, options: NormalizeIntensityOptions = {}): Tensor {
  checkTensor('normalizeIntensity', t, 1);
  const channelWise = options.channelWise ?? false;
  const parts = channelWise ? t.shape[0]! : 1;
  const sub = perPart('subtrahend', options.subtrahend ?? null, parts, channelWise);
  const div = perPart('divisor', options.divisor ?? null, parts, channelWise);
  const out = t.data.slice();
  const len = t.data.length / parts;
  for (let p = 0; p < parts; p++) {
    normalizeRun(out, p * len, (p + 1) * len, sub[p] ?? null, div[p] ?? null, options.nonzero ?? false);
  }
  return { shape: [...t.shape], data: out };
}

/** The subtrahend or divisor of each part (channel, or the whole array): null = compute it. */
function perPart(
  name: string,
  v: number | readonly number[] | null,
  parts: number,
  channelWise: boolean,
): (number | null)[] {
  if (v === null) return new Array<null>(parts).fill(null);
  if (typeof v === 'number') {
    assert(Number.isFinite(v), () => `normalizeIntensity: ${name} must be a finite number, got ${v}`);
    return new Array<number>(parts).fill(v);
  }
  assert(channelWise && Array.isArray(v) && v.length === parts, () =>
    channelWise
      ? `normalizeIntensity: the image has ${parts} channels, but ${name} has ${v.length} components`
      : `normalizeIntensity: a list ${name} needs channelWise: true, got [${v.join(', ')}]`,
  );
  v.forEach((x, i) =>
    assert(Number.isFinite(x), () => `normalizeIntensity: ${name}[${i}] must be finite, got ${x}`),
  );
  return [...v];
}

/** MONAI's _normalize on data[start..end), in place. */
function normalizeRun(
  data: Float32Array,
  start: number,
  end: number,
  sub: number | null,
  div: number | null,
  nonzero: boolean,
): void {
  let n = 0;
  let sum = 0;
  for (let i = start; i < end; i++) {
    const v = data[i]!;
    if (nonzero && v === 0) continue;
    n++;
    sum += v;
  }
  if (!Number.isFinite(sum)) {
    throw new VoxlabError(
      'BAD_VALUES',
      'normalizeIntensity: the data holds NaN or infinite values; cannot normalize it',
    );
  }
  if (n === 0) return; // nonzero and nothing non-zero: MONAI returns the image as it is.
  const mean = sum / n;
  const s = sub ?? mean;
  let d = div;
  if (d === null) {
    let sq = 0;
    for (let i = start; i < end; i++) {
      const v = data[i]!;
      if (nonzero && v === 0) continue;
      sq += (v - mean) * (v - mean);
    }
    d = Math.sqrt(sq / n);
  }
  if (d === 0) d = 1;
  for (let i = start; i < end; i++) {
    const v = data[i]!;
    if (nonzero && v === 0) continue;
    data[i] = (v - s) / d;
  }
}
