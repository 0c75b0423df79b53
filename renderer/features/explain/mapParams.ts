// A map's parameters in a line for people: the settings that made it (mask, overlap, slice, mode) and where
// it peaks, from the explain job's params JSON; long arrays (probabilities) are left out.

import type { Json } from '../../../core/api/index.js';

const LABELS: Readonly<Record<string, string>> = {
  maskSize: 'mask',
  overlap: 'overlap',
  mode: 'mode',
  nBatch: 'batch',
  activation: 'activation',
  layer: 'layer',
  targetLayer: 'layer',
};

/** E.g. "mask 8 · overlap 0.25 · slice axis 1 #15 · peak voxel 77, 54, 58". */
export function describeMapParams(params: Json): string {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) return '';
  const p = params as Record<string, Json>;
  const parts: string[] = [];
  for (const [key, label] of Object.entries(LABELS)) {
    const v = p[key];
    if (typeof v === 'number' || typeof v === 'string') parts.push(`${label} ${v}`);
  }
  const slice = p.slice;
  if (Array.isArray(slice) && slice.length === 2) parts.push(`slice axis ${String(slice[0])} #${String(slice[1])}`);
  const peak = p.peak as { voxel?: Json } | undefined;
  if (peak !== undefined && peak !== null && Array.isArray(peak.voxel)) parts.push(`peak voxel ${peak.voxel.join(', ')}`);
  return parts.join(' · ');
}
