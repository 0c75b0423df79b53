// A stored map in words for people: the settings that made it (mask, overlap, slice, mode) and where it
// peaks, from its params JSON (long arrays such as probabilities left out); its method, explained class,
// source, age and the unit of its values.

import type { Json, MapSummary } from '../../../core/api/index.js';

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
  // The peak of core/explain/mapPeak.ts: the centroid of the tied maxima (a flat block has many), or none.
  const peak = p.peak as { voxel?: Json; centroidVoxel?: Json; voxelCount?: Json } | null | undefined;
  const round = (v: Json) => (typeof v === 'number' ? String(Math.round(v * 10) / 10) : String(v));
  if (peak === null || (peak === undefined && typeof p.evidence === 'string' && p.evidence !== 'positive evidence'))
    parts.push(typeof p.evidence === 'string' ? p.evidence : 'no positive evidence');
  else if (peak !== undefined && Array.isArray(peak.centroidVoxel)) {
    const tied = typeof peak.voxelCount === 'number' && peak.voxelCount > 1 ? ` (${peak.voxelCount} tied voxels)` : '';
    parts.push(`peak voxel ${peak.centroidVoxel.map(round).join(', ')}${tied}`);
  } else if (peak !== undefined && Array.isArray(peak.voxel)) parts.push(`peak voxel ${peak.voxel.join(', ')}`);
  return parts.join(' · ');
}

/** What people call each method. */
export const METHOD_LABELS = { occlusion: 'Occlusion', gradcam: 'Grad-CAM', 'gradcam++': 'Grad-CAM++', layercam: 'LayerCAM' } as const;

const SOURCE_LABELS = { app: 'made in the app', cli: 'made with the CLI', api: 'made through the API' } as const;

/** The class a map explains, in words: its name when the model's classes are known, else its index. */
export function explainedClass(m: Pick<MapSummary, 'classIndex' | 'className'>): string {
  return m.className ?? `class #${m.classIndex}`;
}

/**
 * The unit of a map's values, for the colorbar: occlusion maps (core/explain/occlusionImportance) hold how much
 * hiding a voxel's neighbourhood lowered the class's probability (or, view 'probability', the probability
 * itself); Grad-CAM maps are min-max scaled to [0, 1] (relative importance, no unit).
 */
export function mapUnit(m: Pick<MapSummary, 'method' | 'params'>): string {
  if (m.method !== 'occlusion') return 'relative importance (0 = none, 1 = most)';
  const p = (m.params ?? {}) as { view?: Json; activation?: Json };
  const output = p.activation === 'monai' ? 'sigmoid output' : 'probability';
  return p.view === 'probability' ? `${output} with the region hidden` : `drop in ${output} when the region is hidden`;
}

/** "3 min ago", "2 h ago", else the local date and time. `now` in ms since the epoch. */
export function whenMade(createdAt: string, now: number): string {
  const t = Date.parse(createdAt);
  if (!Number.isFinite(t)) return createdAt;
  const s = Math.max(0, (now - t) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return new Date(t).toLocaleString();
}

/**
 * How the class a map explains relates to the scan's label (issue #16), for the map list and the overlay:
 * 'the labeled class', 'scan labeled X', or '' when the scan is unlabeled or the map's class name is unknown.
 */
export function labelNote(m: Pick<MapSummary, 'className'>, label: string | null): string {
  if (label === null || m.className === null) return '';
  return label === m.className ? 'the labeled class' : `scan labeled ${label}`;
}

/**
 * A map as the list shows it: a title (method, class, whether that class is the predicted one and the
 * labeled one) and a line of details (who, when, how). `label` is the scan's current label (null: none).
 */
export function describeMap(m: MapSummary, now: number, label: string | null = null): { title: string; details: string } {
  const predicted = m.predictedClass === null ? '' : m.predictedClass === m.className ? ' (the predicted class)' : ` (model predicted ${m.predictedClass})`;
  const labeled = labelNote(m, label);
  const took = m.durationMs === null ? null : m.durationMs < 1000 ? `${Math.round(m.durationMs)} ms` : `${(m.durationMs / 1000).toFixed(1)} s`;
  const details = [
    `model ${m.modelId}`,
    SOURCE_LABELS[m.source] ?? m.source,
    whenMade(m.createdAt, now),
    ...(took !== null ? [`took ${took}`] : []),
    ...(m.max > m.min ? [] : [`flat (every value ${m.min}): nothing to show`]),
    describeMapParams(m.params),
  ].filter((part) => part !== '');
  const title = `${METHOD_LABELS[m.method] ?? m.method} · ${explainedClass(m)}${predicted}${labeled === '' ? '' : ` · ${labeled}`}`;
  return { title, details: details.join(' · ') };
}
