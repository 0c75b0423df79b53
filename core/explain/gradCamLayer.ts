// Which layer Grad-CAM weighs (issue #16). MONAI's DenseNet choice, 'class_layers.relu', sits after the last
// pooling: at 64^3 on the 'small' and 'tiny' nets it is a 2x2x2 grid, whose upsampled map is a few flat
// blocks that cannot point at a 12 mm lesion. The default here is the deepest ReLU whose grid still has
// GRAD_CAM_MIN_GRID voxels per axis (for those nets at 64^3: features.transition3.relu, 4x4x4, the last-
// but-one block's output before the pooling that halves it), so the map keeps the deepest features that
// still resolve position (Selvaraju et al., ICCV 2017, sec. 3: the last convolutional layers trade
// semantics for spatial detail).

import { VoxlabError } from '../common/errors.js';
import type { ModelDescription, ModelNode } from '../model/graph.js';

/** Grid voxels per axis the default layer must keep (4: a 64^3 input's 16-voxel cells). */
export const GRAD_CAM_MIN_GRID = 4;

/** A layer Grad-CAM can split the network at: a node name and its grid [depth, height, width]. */
export interface GradCamLayer {
  readonly name: string;
  readonly grid: readonly [number, number, number];
}

/**
 * The volume nodes of `description` Grad-CAM can use, in execution order: ReLU, concat and pooling outputs
 * (not BatchNorms, which may be fused with their ReLU) whose later neighbours in their segment read only
 * them or each other (TfModel.forwardFrom's condition; excludes a dense layer's inner ReLUs).
 */
export function gradCamLayers(description: ModelDescription): GradCamLayer[] {
  const out: GradCamLayer[] = [];
  description.nodes.forEach((node, index) => {
    if (!['relu', 'concat', 'avgPool', 'maxPool'].includes(node.op) || node.outputShape.length !== 4) return;
    if (!splitsCleanly(description.nodes, index)) return;
    out.push({ name: node.name, grid: node.outputShape.slice(1) as unknown as [number, number, number] });
  });
  return out;
}

/**
 * The default layer: the deepest ReLU of gradCamLayers with at least GRAD_CAM_MIN_GRID voxels on every
 * axis; when none has (a very small input), the ReLU with the largest smallest axis, deepest on ties.
 * Throws BAD_ARGUMENT when the network has no usable ReLU.
 */
export function defaultGradCamLayer(description: ModelDescription): GradCamLayer {
  const relus = gradCamLayers(description).filter((l) => l.name.endsWith('relu'));
  if (relus.length === 0)
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `gradCam: the ${description.family} has no ReLU volume layer to weigh`,
    );
  const edge = (l: GradCamLayer) => Math.min(...l.grid);
  const fine = relus.filter((l) => edge(l) >= GRAD_CAM_MIN_GRID);
  if (fine.length > 0) return fine[fine.length - 1]!;
  return relus.reduce((best, l) => (edge(l) >= edge(best) ? l : best));
}

/**
 * `name` checked against gradCamLayers, or the default when undefined. Throws BAD_ARGUMENT listing the
 * available layers (with their grids) for an unknown or unusable name.
 */
export function resolveGradCamLayer(description: ModelDescription, name?: string): GradCamLayer {
  if (name === undefined) return defaultGradCamLayer(description);
  const layers = gradCamLayers(description);
  const found = layers.find((l) => l.name === name);
  if (found !== undefined) return found;
  const list = layers.map((l) => `${l.name} (${l.grid.join('x')})`).join(', ');
  throw new VoxlabError(
    'BAD_ARGUMENT',
    `gradCam: layer '${name}' is not a layer Grad-CAM can use; available: ${list}`,
    { layer: name, available: layers.map((l) => l.name) },
  );
}

function splitsCleanly(nodes: readonly ModelNode[], index: number): boolean {
  const node = nodes[index]!;
  const later = nodes.slice(index + 1).filter((n) => n.segment === node.segment);
  const known = new Set([node.name, ...later.map((n) => n.name)]);
  return later.every((n) => n.inputs.every((i) => known.has(i)));
}
