// Model predictions per image: which model said what, with its class probabilities. Append-only like labels;
// the latest prediction of an image is the one shown, and only matters while no person has labeled it.

import { assert } from '../common/errors.js';
import { nowIso, parseJsonColumn, requireImage } from './layout.js';
import type { StudyHandle } from './layout.js';

/** A prediction to record. `probabilities[k]` belongs to `classes[k]`. */
export interface PredictionInput {
  readonly modelId: string;
  readonly probabilities: readonly number[];
  readonly classes: readonly string[];
  /** The predicted class; one of `classes`. */
  readonly label: string;
}

/** A stored prediction. */
export interface PredictionRecord extends PredictionInput {
  readonly id: number;
  readonly imageId: string;
  readonly createdAt: string;
}

interface Row {
  id: number;
  image_id: string;
  model_id: string;
  label: string;
  classes: string;
  probabilities: string;
  created_at: string;
}

const toRecord = (r: Row): PredictionRecord => ({
  id: r.id,
  imageId: r.image_id,
  modelId: r.model_id,
  label: r.label,
  classes: parseJsonColumn<string[]>(r.classes, 'prediction classes'),
  probabilities: parseJsonColumn<number[]>(r.probabilities, 'prediction probabilities'),
  createdAt: r.created_at,
});

function checkPrediction(p: PredictionInput): void {
  assert(typeof p.modelId === 'string' && p.modelId.length > 0, 'recordPrediction: modelId must be a non-empty string');
  assert(Array.isArray(p.classes) && p.classes.length > 0 && p.classes.every((c) => typeof c === 'string' && c.length > 0), 'recordPrediction: classes must be a non-empty list of class names');
  assert(new Set(p.classes).size === p.classes.length, () => `recordPrediction: classes must be distinct, got ${JSON.stringify(p.classes)}`);
  assert(
    Array.isArray(p.probabilities) && p.probabilities.length === p.classes.length,
    () => `recordPrediction: ${p.probabilities?.length} probabilities for ${p.classes.length} classes`,
    'SHAPE_MISMATCH',
  );
  assert(p.probabilities.every((x) => Number.isFinite(x) && x >= 0 && x <= 1), () => `recordPrediction: probabilities must be numbers in [0, 1], got ${JSON.stringify(p.probabilities)}`, 'BAD_VALUES');
  assert(p.classes.includes(p.label), () => `recordPrediction: label ${JSON.stringify(p.label)} is not one of the classes ${JSON.stringify(p.classes)}`);
}

/**
 * Records a model's prediction for `imageId` and returns it. An image with a prediction and no human label
 * has status `predicted`. Throws NOT_FOUND (unknown image), BAD_ARGUMENT / SHAPE_MISMATCH / BAD_VALUES.
 */
export function recordPrediction(h: StudyHandle, imageId: string, p: PredictionInput): PredictionRecord {
  checkPrediction(p);
  const id = h.db
    .transaction(() => {
      requireImage(h, 'recordPrediction', imageId);
      const info = h.db
        .prepare('INSERT INTO predictions (image_id, model_id, label, classes, probabilities, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(imageId, p.modelId, p.label, JSON.stringify(p.classes), JSON.stringify(p.probabilities), nowIso());
      return Number(info.lastInsertRowid);
    })
    .immediate();
  return toRecord(h.db.prepare('SELECT * FROM predictions WHERE id = ?').get(id) as Row);
}

/** The latest prediction for `imageId` (optionally of one model), or null. Throws NOT_FOUND for an unknown image. */
export function getPrediction(h: StudyHandle, imageId: string, modelId?: string): PredictionRecord | null {
  requireImage(h, 'getPrediction', imageId);
  const row = (
    modelId === undefined
      ? h.db.prepare('SELECT * FROM predictions WHERE image_id = ? ORDER BY id DESC LIMIT 1').get(imageId)
      : h.db.prepare('SELECT * FROM predictions WHERE image_id = ? AND model_id = ? ORDER BY id DESC LIMIT 1').get(imageId, modelId)
  ) as Row | undefined;
  return row === undefined ? null : toRecord(row);
}

/** Every prediction made by `modelId`, oldest first (empty when it predicted nothing here). */
export function listPredictions(h: StudyHandle, modelId: string): PredictionRecord[] {
  return (h.db.prepare('SELECT * FROM predictions WHERE model_id = ? ORDER BY id').all(modelId) as Row[]).map(toRecord);
}
