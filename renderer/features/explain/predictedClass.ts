// The class to explain by default: the one the model predicted for the open scan, from this session's
// inference run (probabilities) or, after a reload, from the prediction stored with the image.

import type { ImageSummary } from '../../../core/api/index.js';

/** The predicted class of a scan and where that prediction comes from. */
export interface PredictedClass {
  /** Index into the chosen model's classes. */
  readonly index: number;
  readonly name: string;
  /** The model's probability of that class, in [0, 1], when known. */
  readonly probability: number | null;
  /** The model that predicted it. */
  readonly modelId: string;
  readonly from: 'inference' | 'stored prediction';
}

/** Session inference probabilities of one image by one model. */
export interface SessionProbabilities {
  readonly imageId: string;
  readonly modelId: string;
  readonly classes: readonly string[];
  readonly values: readonly number[];
}

function argmax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/**
 * The predicted class of `image` for the model `modelId` with `classes` (null when the model's classes are
 * unknown: indices are then taken as they come). This session's inference by that model wins; else the
 * image's stored prediction, if its class is one of `classes` (a prediction of another model with the same
 * class names counts: it names the same class). Null when there is neither.
 */
export function predictedClass(
  image: Pick<ImageSummary, 'id' | 'prediction'> | null,
  modelId: string | null,
  classes: readonly string[] | null,
  session: SessionProbabilities | null,
): PredictedClass | null {
  if (image === null || modelId === null) return null;
  if (
    session !== null &&
    session.imageId === image.id &&
    session.modelId === modelId &&
    session.values.length > 0
  ) {
    const k = argmax(session.values);
    const name = session.classes[k] ?? String(k);
    const index = classes === null ? k : classes.indexOf(name);
    if (index >= 0)
      return { index, name, probability: session.values[k] ?? null, modelId, from: 'inference' };
  }
  const p = image.prediction;
  if (p === null) return null;
  const index =
    classes === null ? (p.modelId === modelId ? p.classes.indexOf(p.label) : -1) : classes.indexOf(p.label);
  if (index < 0) return null;
  return {
    index,
    name: p.label,
    probability: Number.isFinite(p.probability) ? p.probability : null,
    modelId: p.modelId,
    from: 'stored prediction',
  };
}
