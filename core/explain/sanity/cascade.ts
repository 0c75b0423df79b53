// Cascading model-parameter randomization (Adebayo et al., "Sanity Checks for Saliency Maps", NeurIPS 2018,
// §3.1): from the classifier down to the stem, re-initialise one more layer group of the trained weights per
// step and explain the same class of the same scan with the same method again. A map that reflects what the
// model learned must change; one that hardly does shows the image (edges, intensity) more than the model.

import { SeededRandom } from '../../common/random.js';
import type { StateDict } from '../../infer/stateDict.js';
import { stateEntries, type ModelDescription } from '../../model/index.js';
import { initialValues } from '../../model/init.js';
import { cascadeGroups } from './layerGroups.js';
import { compareMaps, type MapComparison } from './compareMaps.js';

/** One step: the groups randomized so far (top first) and how the map compares with the trained model's. */
export interface CascadeStep extends MapComparison {
  /** The group this step added, e.g. 'features.denseblock4'. */
  readonly layer: string;
  /** Every group randomized at this step, top first. */
  readonly randomized: readonly string[];
}

export interface CascadeOptions {
  /** Seeds the fresh weights (default 0): the same seed gives the same randomized networks. */
  readonly seed?: number;
  /** Stop after this many steps (default: all groups, down to the stem). */
  readonly steps?: number;
  /** Called before each step (1-based) with the group it randomizes. */
  readonly onStep?: (step: number, of: number, layer: string) => void;
}

/**
 * The trained network's weights with the groups' keys replaced by the values a fresh network of
 * `description` gets (MONAI's initialisers drawn from SeededRandom(seed), as initialStateDict and training
 * draw them: Kaiming-normal convolutions, BatchNorm weight 1 / bias 0 / running mean 0 / running var 1,
 * Linear bias 0). The fresh draw is the same whichever groups are replaced, so step k's network holds step
 * k-1's random weights plus one more group's: the cascade.
 */
export function randomizedState(
  description: ModelDescription,
  trained: StateDict,
  keys: ReadonlySet<string>,
  seed = 0,
): StateDict {
  const random = new SeededRandom(seed);
  const out = new Map(trained);
  for (const e of stateEntries(description)) {
    // Every entry draws, so the values a key gets do not depend on which other keys are replaced.
    const fresh = initialValues(e, random);
    if (e.dtype === 'F32' && keys.has(e.key)) out.set(e.key, fresh);
  }
  return out;
}

/**
 * Runs the cascade on `network` (description + trained state_dict, MONAI names, PyTorch layouts). `mapOf`
 * explains the fixed scan and class with the given weights and returns the map (any fixed layout, e.g. the
 * model-input grid [depth, height, width] C order, `shape`); `reference` is the trained model's map by the
 * same `mapOf`. Returns one CascadeStep per group (cascadeGroups: class_layers first, features.conv0 last).
 */
export async function cascadingRandomization(
  network: { readonly description: ModelDescription; readonly state: StateDict },
  reference: Float32Array,
  shape: readonly [number, number, number],
  mapOf: (state: StateDict) => Promise<Float32Array>,
  options: CascadeOptions = {},
): Promise<CascadeStep[]> {
  const groups = cascadeGroups(network.description);
  const total = Math.min(groups.length, options.steps ?? groups.length);
  const steps: CascadeStep[] = [];
  const keys = new Set<string>();
  for (const [i, group] of groups.slice(0, total).entries()) {
    options.onStep?.(i + 1, total, group.name);
    for (const k of group.keys) keys.add(k);
    const state = randomizedState(network.description, network.state, keys, options.seed ?? 0);
    const map = await mapOf(state);
    steps.push({
      layer: group.name,
      randomized: groups.slice(0, i + 1).map((g) => g.name),
      ...compareMaps(reference, map, shape),
    });
  }
  return steps;
}
