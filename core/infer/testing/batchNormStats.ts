// Test weights with BatchNorm statistics far from the initial ones (running_var 1, running_mean 0), so that
// BatchNorm, its folding into convolutions and crops that carry it are really exercised.

import { SeededRandom } from '../../common/random.js';
import { initialStateDict } from '../index.js';
import type { ModelDescription } from '../../model/index.js';

/**
 * A DenseNet state dict (initial weights of `weightSeed`) whose running variances lie in [0.5, 1.5) and running
 * means in [-0.1, 0.1), and whose other entries are redrawn where `redraw(key)` gives a draw, all from
 * `statsSeed`.
 */
export function withBatchNormStats(
  description: ModelDescription,
  weightSeed: number,
  statsSeed: number,
  redraw: (key: string) => ((r: SeededRandom) => number) | null,
): Map<string, Float32Array> {
  const state = new Map(initialStateDict(description, weightSeed));
  const r = new SeededRandom(statsSeed);
  for (const [key, v] of state) {
    if (key.endsWith('running_var')) state.set(key, v.map(() => 0.5 + r.next()));
    else if (key.endsWith('running_mean')) state.set(key, v.map(() => 0.2 * (r.next() - 0.5)));
    else {
      const draw = redraw(key);
      if (draw !== null) state.set(key, v.map(() => draw(r)));
    }
  }
  return state;
}
