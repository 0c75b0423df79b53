// Heatmaps (occlusion sensitivity, Grad-CAM) as study artifacts: each is a float32 NIfTI on its scan's grid
// and affine under maps/<image>/<id>.nii.gz plus a row saying how it was made. The file is written
// atomically (temp + fsync + rename) before its row is committed, so a row never points at a missing or
// partial file; a file left without a row by a crash is never listed.

import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { VoxlabError, assert } from '../common/errors.js';
import type { Affine } from '../common/spaces.js';
import { writeNifti } from '../io/writeNifti.js';
import { MAPS_DIR, inStudy, nowIso, parseJsonColumn, requireImage, toStoredRelative } from './layout.js';
import type { StudyHandle } from './layout.js';
import type { Json } from './models.js';
import { fsyncDirSync } from './stageCopies.js';

export const EXPLAIN_METHODS = ['occlusion', 'gradcam', 'gradcam++', 'layercam'] as const;
export const EXPLANATION_SOURCES = ['app', 'cli', 'api'] as const;

/** A map to store and how it was made. */
export interface ExplanationInput {
  readonly imageId: string;
  readonly modelId: string;
  readonly method: (typeof EXPLAIN_METHODS)[number];
  /** The class explained (index into the model's classes) and its name when known. */
  readonly classIndex: number;
  readonly className: string | null;
  /** The class the model predicted for the scan, when known. */
  readonly predictedClass: string | null;
  /** The parameters as run, defaults filled in. */
  readonly params: Json;
  readonly source: (typeof EXPLANATION_SOURCES)[number];
  /** The map on the scan's grid: value(i, j, k) = data[i + nx * (j + ny * k)]; affine voxel → world RAS mm. */
  readonly map: { readonly shape: readonly [number, number, number]; readonly data: Float32Array; readonly affine: Affine };
  readonly durationMs: number | null;
}

/** A stored map. */
export interface ExplanationRecord extends Omit<ExplanationInput, 'map'> {
  readonly id: string;
  /** Absolute path of the NIfTI file. */
  readonly path: string;
  /** As stored, relative to the study folder: maps/<image>/<id>.nii.gz. */
  readonly storedPath: string;
  readonly shape: readonly [number, number, number];
  /** Range of the finite values of the map. */
  readonly min: number;
  readonly max: number;
  readonly createdAt: string;
}

interface Row {
  id: string;
  image_id: string;
  model_id: string;
  method: ExplanationInput['method'];
  class_index: number;
  class_name: string | null;
  predicted_class: string | null;
  params: string;
  source: ExplanationInput['source'];
  path: string;
  shape: string;
  min: number;
  max: number;
  duration_ms: number | null;
  created_at: string;
}

const toRecord = (h: StudyHandle, r: Row): ExplanationRecord => ({
  id: r.id,
  imageId: r.image_id,
  modelId: r.model_id,
  method: r.method,
  classIndex: r.class_index,
  className: r.class_name,
  predictedClass: r.predicted_class,
  params: parseJsonColumn<Json>(r.params, 'explanation params'),
  source: r.source,
  path: inStudy(h, r.path),
  storedPath: r.path,
  shape: parseJsonColumn<[number, number, number]>(r.shape, 'explanation shape'),
  min: r.min,
  max: r.max,
  durationMs: r.duration_ms,
  createdAt: r.created_at,
});

function checkInput(h: StudyHandle, e: ExplanationInput): void {
  const fn = 'recordExplanation';
  requireImage(h, fn, e.imageId);
  assert(typeof e.modelId === 'string' && e.modelId.length > 0, `${fn}: modelId must be a non-empty string`);
  assert(EXPLAIN_METHODS.includes(e.method), () => `${fn}: method must be one of ${EXPLAIN_METHODS.join(', ')}, got ${JSON.stringify(e.method)}`);
  assert(EXPLANATION_SOURCES.includes(e.source), () => `${fn}: source must be one of ${EXPLANATION_SOURCES.join(', ')}, got ${JSON.stringify(e.source)}`);
  assert(Number.isInteger(e.classIndex) && e.classIndex >= 0, () => `${fn}: classIndex must be an integer >= 0, got ${e.classIndex}`);
  assert(e.durationMs === null || (Number.isFinite(e.durationMs) && e.durationMs >= 0), () => `${fn}: durationMs must be null or >= 0, got ${e.durationMs}`);
  assert(e.map.data instanceof Float32Array, `${fn}: the map must hold float32 values`);
  const row = h.db.prepare('SELECT shape FROM images WHERE id = ?').get(e.imageId) as { shape: string };
  const dims = parseJsonColumn<number[]>(row.shape, 'image shape');
  const grid = [dims[0] ?? 1, dims[1] ?? 1, dims[2] ?? 1];
  assert(grid.every((n, k) => n === e.map.shape[k]), () => `${fn}: the map is [${e.map.shape.join(', ')}] but image "${e.imageId}" is [${grid.join(', ')}]: maps are stored on their scan's grid`, 'SHAPE_MISMATCH');
}

/** Range of the finite values (0, 0 when there are none). */
function finiteRange(data: Float32Array): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of data) {
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min > max ? { min: 0, max: 0 } : { min, max };
}

/** A new map id: 'm' + the UTC time to the millisecond + 6 random hex digits (sortable, a valid API id). */
export function newMapId(): string {
  return `m${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(3).toString('hex')}`;
}

/**
 * Stores a map of `input.imageId` as maps/<image>/<id>.nii.gz (float32, intent 'map') and records it; resolves
 * once file and row are durable. Throws NOT_FOUND (unknown image), SHAPE_MISMATCH (not the image's grid),
 * BAD_ARGUMENT (bad fields), IO_ERROR (disk).
 */
export async function recordExplanation(h: StudyHandle, input: ExplanationInput): Promise<ExplanationRecord> {
  checkInput(h, input);
  const id = newMapId();
  const dir = path.join(h.dir, MAPS_DIR, input.imageId);
  if (mkdirSync(dir, { recursive: true }) !== undefined) fsyncDirSync(path.dirname(dir));
  const stored = toStoredRelative(path.join(MAPS_DIR, input.imageId, `${id}.nii.gz`));
  const { min, max } = finiteRange(input.map.data);
  await writeNifti(inStudy(h, stored), input.map, { intent: 'map', description: `voxlab ${input.method} class ${input.classIndex}` });
  try {
    h.db
      .transaction(() => {
        requireImage(h, 'recordExplanation', input.imageId);
        h.db
          .prepare(
            `INSERT INTO explanations (id, image_id, model_id, method, class_index, class_name, predicted_class, params, source, path, shape, min, max, duration_ms, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(id, input.imageId, input.modelId, input.method, input.classIndex, input.className, input.predictedClass, JSON.stringify(input.params ?? null), input.source, stored, JSON.stringify(input.map.shape), min, max, input.durationMs, nowIso());
      })
      .immediate();
  } catch (e) {
    rmSync(inStudy(h, stored), { force: true }); // no row names it: never listed, so removing it loses nothing
    throw e;
  }
  return getExplanation(h, id);
}

/** The maps stored for `imageId`, newest first. Throws NOT_FOUND for an unknown image. */
export function listExplanations(h: StudyHandle, imageId: string): ExplanationRecord[] {
  requireImage(h, 'listExplanations', imageId);
  const rows = h.db.prepare('SELECT * FROM explanations WHERE image_id = ? ORDER BY created_at DESC, rowid DESC').all(imageId) as Row[];
  return rows.map((r) => toRecord(h, r));
}

/** One stored map by id. Throws NOT_FOUND. */
export function getExplanation(h: StudyHandle, id: string): ExplanationRecord {
  const row = h.db.prepare('SELECT * FROM explanations WHERE id = ?').get(id) as Row | undefined;
  if (row === undefined) throw new VoxlabError('NOT_FOUND', `The study has no heatmap "${id}" (it may belong to another study)`, { mapId: id });
  return toRecord(h, row);
}
