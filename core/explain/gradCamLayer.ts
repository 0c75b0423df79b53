// Which layer Grad-CAM, Grad-CAM++ and LayerCAM weigh (issue #16). MONAI's DenseNet choice,
// 'class_layers.relu', sits after the last pooling: at 64^3 on the 'small' and 'tiny' nets it is a 2x2x2
// grid, whose upsampled map is a few flat blocks that cannot point at an 18 mm lesion. The default is the
// deepest ReLU whose cells are at most DEFAULT_CELL[method] input voxels on every axis and whose grid keeps at
// least MIN_GRID per axis (so the map keeps the deepest features that still resolve position: Selvaraju et
// al., ICCV 2017, sec. 3).
// - Grad-CAM and Grad-CAM++: cells of 8 input voxels; on a DenseNet that is features.transition2.relu
//   (the second block's output) at any input size, 8^3 at 64^3 (30 mm cells in a 240 mm field of view).
// - LayerCAM: cells of 4 input voxels (features.transition1.relu, 16^3 at 64^3): its per-voxel weights are
//   made for shallow layers (Jiang et al., "LayerCAM", IEEE TIP 30, 2021).
// Chosen on issue #16's tuning cohort (seed 2026, 21 test lesions each; `npm run bench -- pointing`):
// Grad-CAM at 4^3 hit 4/21 bright lesions, at 8^3 21/21; LayerCAM at 16^3 21/21 bright and 17/21 dark. On
// dark lesions Grad-CAM hit 2/21 at 8^3 and at most 6 of 10 at any layer: one weight per channel for the
// whole volume cannot single out a place whose evidence is, likely, a missing activation (the dark lesion's
// signal), which LayerCAM's per-voxel weights can.

import { VoxlabError } from '../common/errors.js';
import type { ModelDescription, ModelNode } from '../model/graph.js';

/** The methods that weigh a layer's activations. */
export type CamMethod = 'gradcam' | 'gradcam++' | 'layercam';

/** The largest cell (input voxels per layer voxel, on every axis) the default layer of each method may have. */
export const DEFAULT_CELL: Readonly<Record<CamMethod, number>> = { gradcam: 8, 'gradcam++': 8, layercam: 4 };

/** Grid voxels per axis the default layer must keep (a 2x2x2 grid cannot point). */
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
 * The default layer of `method`: the deepest ReLU of gradCamLayers whose cells are at most DEFAULT_CELL[method]
 * input voxels and whose grid has at least GRAD_CAM_MIN_GRID voxels on every axis; when none has, the ReLU
 * with the largest smallest axis, deepest on ties (a very small input). Throws BAD_ARGUMENT when the network
 * has no usable ReLU.
 */
export function defaultGradCamLayer(description: ModelDescription, method: CamMethod = 'gradcam'): GradCamLayer {
  const relus = gradCamLayers(description).filter((l) => l.name.endsWith('relu'));
  if (relus.length === 0)
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `gradCam: the ${description.family} has no ReLU volume layer to weigh`,
    );
  const input = description.input.shape.slice(1);
  const edge = (l: GradCamLayer) => Math.min(...l.grid);
  const cell = (l: GradCamLayer) => Math.max(...l.grid.map((g, a) => input[a]! / g));
  const fine = relus.filter((l) => edge(l) >= GRAD_CAM_MIN_GRID && cell(l) <= DEFAULT_CELL[method]);
  if (fine.length > 0) return fine[fine.length - 1]!;
  return relus.reduce((best, l) => (edge(l) >= edge(best) ? l : best));
}

/**
 * `name` checked against gradCamLayers, or `method`'s default when undefined. Throws BAD_ARGUMENT listing the
 * available layers (with their grids) for an unknown or unusable name.
 */
export function resolveGradCamLayer(
  description: ModelDescription,
  name?: string,
  method: CamMethod = 'gradcam',
): GradCamLayer {
  if (name === undefined) return defaultGradCamLayer(description, method);
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
