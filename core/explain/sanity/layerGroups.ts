// The layer groups the cascading randomization (Adebayo et al., NeurIPS 2018, §3.1) re-initialises one more
// of per step, top (the classifier) first, for voxlab's MONAI DenseNets (every MODEL_PRESETS entry).

import { VoxlabError } from '../../common/errors.js';
import { stateEntries, type ModelDescription } from '../../model/index.js';

/** One step's worth of weights: a name for people and the state_dict keys it holds. */
export interface LayerGroup {
  /** e.g. 'class_layers', 'features.denseblock4', 'features.transition3', 'features.conv0'. */
  readonly name: string;
  /** MONAI state_dict keys (weights, biases, BatchNorm affine and running statistics). */
  readonly keys: readonly string[];
}

/**
 * The groups of a DenseNet `description`, from the output down: `class_layers` (the Linear, with the final
 * BatchNorm `features.norm5` it reads), then `features.denseblockB`, `features.transition(B-1)`, ...,
 * `features.denseblock1`, and last the stem `features.conv0` (with `features.norm0`). B blocks give 2B + 1
 * groups (the 'small' and 'tiny' presets: 9; blockConfig [2, 2]: 5). A block's dense layers move together,
 * as Adebayo et al. randomize Inception's blocks together. Throws BAD_ARGUMENT for a key of another shape
 * (a network that is not a MONAI DenseNet).
 */
export function cascadeGroups(description: ModelDescription): LayerGroup[] {
  const byName = new Map<string, string[]>();
  for (const { key } of stateEntries(description)) {
    const name = groupOf(key);
    if (name === null)
      throw new VoxlabError(
        'BAD_ARGUMENT',
        `cascadeGroups: '${key}' is not a MONAI DenseNet weight (features.* or class_layers.*)`,
        { key },
      );
    byName.set(name, [...(byName.get(name) ?? []), key]);
  }
  // Map order = first appearance = input to output; the cascade goes the other way.
  return [...byName].map(([name, keys]) => ({ name, keys })).reverse();
}

/** The group of a state_dict key, or null for a key of no DenseNet module. */
function groupOf(key: string): string | null {
  const [top, module] = key.split('.');
  if (top === 'class_layers') return 'class_layers';
  if (top !== 'features' || module === undefined) return null;
  if (module === 'norm5') return 'class_layers';
  if (module === 'norm0') return 'features.conv0';
  if (module === 'conv0' || /^(denseblock|transition)\d+$/.test(module)) return `features.${module}`;
  return null;
}
