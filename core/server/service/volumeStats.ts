// Statistics of a volume's finite voxels, with 1st/99th percentiles from a 4096-bin histogram (accurate to
// 1/4096 of the range, of every voxel up to 2^22 and a regular sample of larger volumes: enough for an
// automatic window/level).

import type { VolumeStats } from '../../api/index.js';

const BINS = 4096;
/** Voxels at least sampled for the percentiles (see volumeStats). */
const HISTOGRAM_SAMPLES = 1 << 22;

/** min, max, mean, std (population) and p01/p99 of the finite values of `data`; zeros when none is finite. */
export function volumeStats(data: ArrayLike<number>): VolumeStats {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    sumSq += v * v;
    n++;
  }
  if (n === 0) return { min: 0, max: 0, mean: 0, std: 0, p01: 0, p99: 0 };
  const mean = sum / n;
  const std = Math.sqrt(Math.max(0, sumSq / n - mean * mean));
  if (max === min) return { min, max, mean, std, p01: min, p99: max };
  const hist = new Float64Array(BINS);
  const scale = (BINS - 1) / (max - min);
  // The percentiles of a large volume come from every stride-th voxel (at least 2^22 of them): a display
  // window needs no more, and a 256³ scan's second pass costs a quarter.
  const stride = Math.max(1, Math.floor(data.length / HISTOGRAM_SAMPLES));
  let counted = 0;
  for (let i = 0; i < data.length; i += stride) {
    const v = data[i]!;
    if (Number.isFinite(v)) {
      hist[Math.floor((v - min) * scale)]!++;
      counted++;
    }
  }
  const at = (q: number): number => {
    const target = q * counted;
    let acc = 0;
    for (let b = 0; b < BINS; b++) {
      acc += hist[b]!;
      if (acc >= target) return min + b / scale;
    }
    return max;
  };
  return { min, max, mean, std, p01: at(0.01), p99: at(0.99) };
}
