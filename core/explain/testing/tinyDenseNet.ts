// Test helpers for the sanity checks: a tiny MONAI DenseNet as a resolved model (weights drawn from a seed,
// no training) and a scan of its input size.

import { SeededRandom } from '../../common/random.js';
import { toAffine } from '../../common/spaces.js';
import { exportOnnx } from '../../infer/exportOnnx.js';
import type { ResolvedModel } from '../../infer/resolveModel.js';
import { initialStateDict } from '../../infer/stateDict.js';
import type { Volume } from '../../io/types.js';
import { describeDenseNet } from '../../model/index.js';
import { MODEL_PRESETS } from '../../train/config.js';

/** The tests' DenseNet: the tiny preset cut to two blocks, 16^3 input (as core/train/testing TINY_CONFIG). */
export function tinyResolvedModel(
  seed = 1,
): ResolvedModel & { network: NonNullable<ResolvedModel['network']> } {
  const description = describeDenseNet(
    { inChannels: 1, outChannels: 2, ...MODEL_PRESETS.tiny, blockConfig: [2, 2] },
    [16, 16, 16],
  );
  const state = initialStateDict(description, seed);
  const classes = ['control', 'lesion'];
  return {
    kind: 'safetensors',
    id: 'tiny.safetensors',
    source: 'tiny.safetensors',
    weights: null,
    classes,
    inputSize: [16, 16, 16],
    onnx: exportOnnx(description, state, { classes }),
    network: { description, state },
  };
}

/** A 16^3 scan (1 mm voxels, identity affine) of smooth noise plus a bright blob at voxel (5, 9, 7). */
export function tinyScan(seed = 2): Volume {
  const r = new SeededRandom(seed);
  const n = 16;
  const data = new Float32Array(n ** 3);
  for (let k = 0; k < n; k++)
    for (let j = 0; j < n; j++)
      for (let i = 0; i < n; i++)
        data[i + n * (j + n * k)] =
          r.uniform(0, 0.3) + Math.exp(-((i - 5) ** 2 + (j - 9) ** 2 + (k - 7) ** 2) / 6);
  return {
    shape: [n, n, n],
    data,
    affine: toAffine([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]),
  } as unknown as Volume;
}
