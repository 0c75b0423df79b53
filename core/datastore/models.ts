// Trained models of a study and their training runs: what kind, trained how (config), how well (metrics),
// where the weights are (usually under models/), on which backend and on which version of the labels.

import { VoxlabError, assert } from '../common/errors.js';
import { nowIso, parseJsonColumn } from './layout.js';
import type { StudyHandle } from './layout.js';

/** A JSON value as stored in config and metrics columns. */
export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

/** A model to record. */
export interface ModelInput {
  /** Unique in the study; names its folder under models/ by convention. */
  readonly id: string;
  /** What it does, e.g. 'classifier' or 'segmenter'. */
  readonly kind: string;
  readonly config: Json;
  readonly metrics: Json;
  /** Where the weights are: relative to the study folder (e.g. 'models/<id>/model.onnx') or absolute; null if not saved. */
  readonly path: string | null;
  /** The backend that trained it, e.g. 'tfjs-wasm' or 'onnxruntime'. */
  readonly backend: string;
  /** The study's dataVersion() when training started, so results can be tied to the labels they saw. */
  readonly dataVersion: string | null;
  /** ISO 8601; default now. */
  readonly createdAt?: string;
}

/** A stored model. */
export interface ModelRecord extends ModelInput {
  readonly createdAt: string;
}

/** The metrics of one training epoch. */
export interface RunMetrics {
  readonly modelId: string;
  readonly epoch: number;
  readonly metrics: Json;
  readonly recordedAt: string;
}

interface ModelRow {
  id: string;
  kind: string;
  config: string;
  metrics: string;
  path: string | null;
  backend: string;
  data_version: string | null;
  created_at: string;
}

const toModel = (r: ModelRow): ModelRecord => ({
  id: r.id,
  kind: r.kind,
  config: parseJsonColumn<Json>(r.config, 'model config'),
  metrics: parseJsonColumn<Json>(r.metrics, 'model metrics'),
  path: r.path,
  backend: r.backend,
  dataVersion: r.data_version,
  createdAt: r.created_at,
});

/** True when `v` is plain JSON: finite numbers, strings, booleans, null, arrays and plain objects, at most 64 deep. */
function isPlainJson(v: unknown, depth = 0): boolean {
  if (depth > 64) return false;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every((x) => isPlainJson(x, depth + 1));
  if (typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return (proto === Object.prototype || proto === null) && Object.values(v).every((x) => isPlainJson(x, depth + 1));
}

/** JSON text of `value`; BAD_ARGUMENT when it is not plain JSON (NaN, undefined, functions, class instances...). */
function jsonText(fn: string, what: string, value: unknown): string {
  assert(isPlainJson(value), () => `${fn}: ${what} must be plain JSON (finite numbers, strings, booleans, null, arrays, objects)`);
  return JSON.stringify(value);
}

const nonEmpty = (fn: string, what: string, v: unknown): void =>
  assert(typeof v === 'string' && v.length > 0, () => `${fn}: ${what} must be a non-empty string, got ${JSON.stringify(v)}`);

/** Records a trained model and returns it. Throws ALREADY_EXISTS when the id is taken, BAD_ARGUMENT for bad fields. */
export function recordModel(h: StudyHandle, m: ModelInput): ModelRecord {
  nonEmpty('recordModel', 'id', m.id);
  nonEmpty('recordModel', 'kind', m.kind);
  nonEmpty('recordModel', 'backend', m.backend);
  assert(m.path === null || (typeof m.path === 'string' && m.path.length > 0), 'recordModel: path must be a non-empty string or null');
  assert(m.createdAt === undefined || !Number.isNaN(Date.parse(m.createdAt)), () => `recordModel: createdAt must be an ISO 8601 time, got ${JSON.stringify(m.createdAt)}`);
  const config = jsonText('recordModel', 'config', m.config);
  const metrics = jsonText('recordModel', 'metrics', m.metrics);
  h.db
    .transaction(() => {
      if (h.db.prepare('SELECT 1 FROM models WHERE id = ?').get(m.id) !== undefined) {
        throw new VoxlabError('ALREADY_EXISTS', `recordModel: the study already has a model "${m.id}"`, { modelId: m.id });
      }
      h.db
        .prepare('INSERT INTO models (id, kind, config, metrics, path, backend, data_version, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(m.id, m.kind, config, metrics, m.path, m.backend, m.dataVersion, m.createdAt ?? nowIso());
    })
    .immediate();
  return getModel(h, m.id);
}

/** The model with this id. Throws NOT_FOUND. */
export function getModel(h: StudyHandle, id: string): ModelRecord {
  const row = h.db.prepare('SELECT * FROM models WHERE id = ?').get(id) as ModelRow | undefined;
  if (row === undefined) throw new VoxlabError('NOT_FOUND', `The study has no model "${id}"`, { modelId: id });
  return toModel(row);
}

/** All models of the study, oldest first. */
export function listModels(h: StudyHandle): ModelRecord[] {
  return (h.db.prepare('SELECT * FROM models ORDER BY created_at, id').all() as ModelRow[]).map(toModel);
}

/**
 * Records the metrics of one epoch of `modelId`'s training (the model need not be recorded yet: trainers log
 * while they run). Throws ALREADY_EXISTS when that epoch was recorded, BAD_ARGUMENT for bad values.
 */
export function recordRunMetrics(h: StudyHandle, modelId: string, epoch: number, metrics: Json): RunMetrics {
  nonEmpty('recordRunMetrics', 'modelId', modelId);
  assert(Number.isInteger(epoch) && epoch >= 0, () => `recordRunMetrics: epoch must be an integer >= 0, got ${epoch}`);
  const text = jsonText('recordRunMetrics', 'metrics', metrics);
  const recordedAt = nowIso();
  h.db
    .transaction(() => {
      if (h.db.prepare('SELECT 1 FROM run_metrics WHERE model_id = ? AND epoch = ?').get(modelId, epoch) !== undefined) {
        throw new VoxlabError('ALREADY_EXISTS', `recordRunMetrics: epoch ${epoch} of model "${modelId}" was already recorded`, { modelId, epoch });
      }
      h.db.prepare('INSERT INTO run_metrics (model_id, epoch, metrics, recorded_at) VALUES (?, ?, ?, ?)').run(modelId, epoch, text, recordedAt);
    })
    .immediate();
  return { modelId, epoch, metrics: JSON.parse(text) as Json, recordedAt };
}

/** The recorded epochs of `modelId`, in epoch order (empty when none). */
export function getRunMetrics(h: StudyHandle, modelId: string): RunMetrics[] {
  const rows = h.db.prepare('SELECT * FROM run_metrics WHERE model_id = ? ORDER BY epoch').all(modelId) as { model_id: string; epoch: number; metrics: string; recorded_at: string }[];
  return rows.map((r) => ({ modelId: r.model_id, epoch: r.epoch, metrics: parseJsonColumn<Json>(r.metrics, 'run metrics'), recordedAt: r.recorded_at }));
}
