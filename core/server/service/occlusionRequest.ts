// explain.run's `params` JSON, checked and turned into occlusion settings (MONAI's names in camelCase; the
// numbers themselves are checked by core/explain's planOcclusion) and Grad-CAM's `layer` (checked against
// the network by core/explain's resolveGradCamLayer). Unknown keys are refused by name.

import type { Json } from '../../api/index.js';
import { VoxlabError } from '../../common/errors.js';
import type { OcclusionOptions } from '../../explain/index.js';

/** Occlusion settings of a request; `slice` (when given) is also turned into the equivalent bBox. */
export type OcclusionRequest = Pick<
  OcclusionOptions,
  'maskSize' | 'nBatch' | 'overlap' | 'mode' | 'bBox' | 'activation'
> & {
  view?: 'importance' | 'probability';
  engine?: 'auto' | 'plain';
  /** [axis 0-2, index] in model-input voxels, as given. */
  slice?: [number, number];
  /** Grad-CAM only: the layer weighed (default: see core/explain/gradCamLayer.ts). */
  layer?: string;
};

const KNOWN = [
  'maskSize',
  'nBatch',
  'overlap',
  'mode',
  'bBox',
  'slice',
  'activation',
  'view',
  'engine',
  'layer',
];

/** [axis, index] → MONAI's b_box of that one slice. Throws BAD_ARGUMENT. */
function sliceBox(s: Json): { slice: [number, number]; bBox: number[] } {
  if (!Array.isArray(s) || s.length !== 2 || !s.every((v) => Number.isInteger(v)) || s[0]! < 0 || s[0]! > 2)
    throw new VoxlabError('BAD_ARGUMENT', 'explain.run: params.slice must be [axis 0-2, index]');
  const [axis, index] = s as [number, number];
  const bBox = [-1, -1, -1, -1, -1, -1];
  bBox[2 * axis] = index;
  bBox[2 * axis + 1] = index + 1;
  return { slice: [axis, index], bBox };
}

/** Checks explain.run's `params` and returns the occlusion settings. Throws BAD_ARGUMENT naming unknown keys. */
export function occlusionParams(params: Json | undefined): OcclusionRequest {
  if (params === undefined || params === null) return {};
  if (typeof params !== 'object' || Array.isArray(params))
    throw new VoxlabError('BAD_ARGUMENT', 'explain.run: params must be an object');
  const p = params as Record<string, Json>;
  const unknown = Object.keys(p).filter((k) => !KNOWN.includes(k));
  if (unknown.length > 0)
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `explain.run: unknown params ${unknown.join(', ')} (known: ${KNOWN.join(', ')})`,
    );
  const box = p.slice !== undefined ? sliceBox(p.slice) : undefined;
  const bBox = box?.bBox ?? (p.bBox as number[] | undefined);
  return {
    ...(p.maskSize !== undefined ? { maskSize: p.maskSize as number } : {}),
    ...(p.nBatch !== undefined ? { nBatch: p.nBatch as number } : {}),
    ...(p.overlap !== undefined ? { overlap: p.overlap as number } : {}),
    ...(p.mode !== undefined ? { mode: p.mode as OcclusionOptions['mode'] & string } : {}),
    ...(bBox !== undefined ? { bBox } : {}),
    ...(box !== undefined ? { slice: box.slice } : {}),
    ...(p.activation !== undefined
      ? { activation: p.activation as OcclusionOptions['activation'] & string }
      : {}),
    ...(p.view === 'importance' || p.view === 'probability' ? { view: p.view } : {}),
    ...(p.engine === 'plain' ? { engine: 'plain' as const } : {}),
    ...(p.layer !== undefined ? { layer: layerName(p.layer) } : {}),
  };
}

function layerName(v: Json): string {
  if (typeof v !== 'string' || v.trim() === '')
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `explain.run: params.layer must be a layer name, got ${JSON.stringify(v)}`,
    );
  return v;
}
