// Initial values of state_dict entries from their InitSpec (the initialisers MONAI's DenseNet uses), drawn
// from a SeededRandom so the same seed gives the same network on every machine and backend.

import type { SeededRandom } from '../common/random.js';
import { numel, type StateEntry } from './graph.js';

/**
 * Fresh values for `entry` in PyTorch layout (C order over `entry.shape`). Kaiming-normal draws
 * N(0, std^2) (PyTorch's kaiming_normal_ is not truncated); uniform draws U(-bound, bound). Constants
 * consume no random numbers, so adding a BatchNorm does not shift later convolutions' draws.
 */
export function initialValues(entry: StateEntry, random: SeededRandom): Float32Array {
  const out = new Float32Array(numel(entry.shape));
  const init = entry.init;
  switch (init.kind) {
    case 'constant':
      out.fill(init.value);
      break;
    case 'kaimingNormal':
      for (let i = 0; i < out.length; i++) out[i] = random.normal(0, init.std);
      break;
    case 'uniform':
      for (let i = 0; i < out.length; i++) out[i] = random.uniform(-init.bound, init.bound);
      break;
  }
  return out;
}
