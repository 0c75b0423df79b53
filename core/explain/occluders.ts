// What an occluded window holds, per OcclusionMode, and what that means for the map (issue #16).
//
// MONAI's 'gaussian' (monai/visualize/occlusion_sensitivity.py, 1.3.2) multiplies the window by a negated,
// rescaled Gaussian (occlusionWeights.ts: 0 at the centre, 1 at the far corner): it pulls intensities toward 0. That
// removes a BRIGHT feature but deepens a DARK (hypointense) one: on IXI scans with dark 12 mm lesions,
// occluding the lesion raised p(lesion) and the map's peak landed on the mirror spot (issue #16).
//
// 'mean_surround' (our default) removes information whatever the feature's contrast: every channel of the
// window is replaced by that channel's mean over a shell around the window. It is the mean of Zintgraf et
// al.'s conditional sampling ("Visualizing Deep Neural Network Decisions: Prediction Difference Analysis",
// ICLR 2017, sec. 3.2: sample the window from p(window | surrounding patch), their patch = window + 2 pixels
// per side) under a locally constant image model: what the window "would be" given its neighbourhood,
// without drawing samples (deterministic, one pass per window like the other modes).

import type { Occlusion } from './occlusionEngine.js';
import { readPatch } from './occlusionEngine.js';
import type { OcclusionMode, OcclusionPlan } from './occlusionParams.js';
import { gaussianOcclusionFactor } from './occlusionWeights.js';

/** Shell thickness of 'mean_surround' in voxels per side (Zintgraf et al. 2017: patch = window + 2 per side). */
export const SURROUND_SHELL = 2;

/**
 * What each mode does to the window and the sign of the importance map (baseline - occluded output,
 * occlusionImportance), in words recorded with every map.
 */
export const OCCLUDER_WORDS = {
  sign: 'positive = occluding this region lowers the class output (evidence for the class); negative = occluding it raises it',
  probabilitySign: "MONAI's map: the class output with this region occluded; lower = more important",
  gaussian:
    "MONAI's gaussian: the window multiplied toward 0 at its centre (removes bright features, deepens dark ones)",
  mean_surround:
    'the window replaced by the mean of the 2-voxel shell around it (per channel): removes a feature whatever its contrast',
  mean_patch: 'the window replaced by its own mean over all channels',
  mean_img: 'the window replaced by the mean of the whole input',
  value: 'the window replaced by a constant',
} as const;

/** The words for `mode` (OCCLUDER_WORDS). */
export function occluderWords(mode: OcclusionMode): string {
  return typeof mode === 'number' ? `${OCCLUDER_WORDS.value} (${mode})` : OCCLUDER_WORDS[mode];
}

/**
 * The occlusion of the window at `start` for plan.mode, on `input` ([channels, depth, height, width] C order,
 * `shape`): gaussian multiplies the input by the factor (same for every channel); mean_surround fills each
 * channel with its mean over the shell of SURROUND_SHELL voxels around the window (clipped to the input; the
 * window's own mean when the shell is empty, i.e. the window is the whole input); mean_img and a number fill
 * with a constant; mean_patch fills with the mean of the window over all channels. MONAI's mean_patch
 * multiplies the window by that mean instead (its constant_occlusion returns (0, value) and the predictor
 * unpacks it as add, mul): a bug, not copied.
 */
export function occluderFor(
  plan: OcclusionPlan,
  input: Float32Array,
  shape: readonly number[],
): (start: [number, number, number]) => Occlusion {
  const size = plan.maskSize;
  const voxels = size[0] * size[1] * size[2];
  const mode = plan.mode;
  if (mode === 'gaussian') {
    const factor = gaussianOcclusionFactor(size);
    return (start) => {
      const patch = readPatch(input, shape, start, size);
      for (let i = 0; i < patch.length; i++) patch[i]! *= factor[i % voxels]!;
      return { start, size, patch };
    };
  }
  if (mode === 'mean_surround')
    return (start) => {
      const means = surroundMeans(input, shape, start, size);
      const patch = new Float32Array(shape[0]! * voxels);
      means.forEach((m, c) => patch.fill(m, c * voxels, (c + 1) * voxels));
      return { start, size, patch };
    };
  if (mode === 'mean_patch')
    return (start) => {
      const patch = readPatch(input, shape, start, size);
      return { start, size, patch: patch.fill(mean(patch)) };
    };
  const value = mode === 'mean_img' ? mean(input) : mode;
  return (start) => ({ start, size, patch: new Float32Array(shape[0]! * voxels).fill(value) });
}

/** Per channel: the mean over (window grown by SURROUND_SHELL per side, clipped) minus the window. */
function surroundMeans(
  input: Float32Array,
  shape: readonly number[],
  start: readonly [number, number, number],
  size: readonly [number, number, number],
): number[] {
  const [channels, ...spatial] = shape as [number, number, number, number];
  const lo = start.map((s) => Math.max(0, s - SURROUND_SHELL));
  const hi = start.map((s, d) => Math.min(spatial[d]!, s + size[d]! + SURROUND_SHELL));
  const means: number[] = [];
  for (let c = 0; c < channels; c++) {
    let shell = 0;
    let shellCount = 0;
    let inner = 0;
    for (let i = lo[0]!; i < hi[0]!; i++)
      for (let j = lo[1]!; j < hi[1]!; j++) {
        const row = ((c * spatial[0] + i) * spatial[1] + j) * spatial[2];
        const inIJ = i >= start[0] && i < start[0] + size[0] && j >= start[1] && j < start[1] + size[1];
        for (let k = lo[2]!; k < hi[2]!; k++) {
          const v = input[row + k]!;
          if (inIJ && k >= start[2] && k < start[2] + size[2]) inner += v;
          else {
            shell += v;
            shellCount++;
          }
        }
      }
    means.push(shellCount > 0 ? shell / shellCount : inner / (size[0] * size[1] * size[2]));
  }
  return means;
}

function mean(values: Float32Array): number {
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}
