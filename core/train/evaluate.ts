// Scoring a trained classifier on a study's labeled images: the model by id (its recorded weights) or a
// weights file from a run folder (its run.json beside it says the network, classes and input size).

import { existsSync } from 'node:fs';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import { VoxlabError } from '../common/errors.js';
import type { Study } from '../datastore/index.js';
import { createDenseNet, readWeightsFile, type DenseNetConfig } from '../model/index.js';
import { readManifest } from './checkpoint.js';
import { labeledImages, checkScans } from './dataset.js';
import { predictBatch } from './engine/index.js';
import { predictLogits } from './epoch.js';
import { classificationMetrics, softmaxRows, type ClassificationMetrics } from './metrics.js';
import { openDataSource, type DataOptions } from './runSetup.js';

export interface EvaluateOptions extends DataOptions {
  /** Image ids to score (each must have a class label). Default: every labeled image the model did not train on. */
  readonly images?: readonly string[];
  /** Volumes per forward pass (default 2). */
  readonly batchSize?: number;
  readonly signal?: AbortSignal;
  /** After each batch: 1-based batch index, batch count. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** One scored image: its label, the predicted class and the softmax probabilities (class order). */
export interface ImageScore {
  readonly id: string;
  readonly label: string;
  readonly predicted: string;
  readonly probabilities: readonly number[];
}

export interface EvaluationResult {
  /** The model id, or null for a weights file. */
  readonly modelId: string | null;
  readonly weights: string;
  readonly classes: readonly string[];
  readonly metrics: ClassificationMetrics;
  readonly images: readonly ImageScore[];
}

interface ModelSpec {
  readonly modelId: string | null;
  readonly weights: string;
  readonly network: DenseNetConfig;
  readonly classes: readonly string[];
  readonly inputSize: number;
  readonly trainedOn: readonly string[];
}

/** What to load for a model id or a weights path (a .safetensors file with run.json beside it). */
async function modelSpec(study: Study, modelOrWeights: string): Promise<ModelSpec> {
  if (modelOrWeights.endsWith('.safetensors') && existsSync(modelOrWeights)) {
    const manifest = await readManifest(path.dirname(path.resolve(modelOrWeights)));
    const { network, classes, config } = manifest;
    return {
      modelId: null,
      weights: path.resolve(modelOrWeights),
      network,
      classes,
      inputSize: config.inputSize,
      trainedOn: manifest.train.map((e) => e.id),
    };
  }
  const record = study.getModel(modelOrWeights);
  const c = record.config as {
    network?: DenseNetConfig;
    classes?: string[];
    inputSize?: number;
    split?: { train?: string[] };
  };
  if (
    record.path === null ||
    c.network === undefined ||
    c.classes === undefined ||
    c.inputSize === undefined
  ) {
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `Model "${record.id}" is not a voxlab classifier with saved weights (kind ${record.kind})`,
      { modelId: record.id },
    );
  }
  const weights = path.isAbsolute(record.path) ? record.path : path.join(study.dir, record.path);
  return {
    modelId: record.id,
    weights,
    network: c.network,
    classes: c.classes,
    inputSize: c.inputSize,
    trainedOn: c.split?.train ?? [],
  };
}

/**
 * Scores a model on labeled images of `study`. Throws NOT_FOUND (model or weights), WEIGHTS_MISMATCH,
 * TRAIN_DATA_INVALID (no images to score, a label the model does not know, unreadable scans), CANCELLED.
 */
export async function evaluate(
  study: Study,
  modelOrWeights: string,
  options: EvaluateOptions = {},
): Promise<EvaluationResult> {
  const spec = await modelSpec(study, modelOrWeights);
  const trained = new Set(spec.trainedOn);
  const only =
    options.images ??
    study
      .listImages()
      .filter((r) => r.label !== null && !trained.has(r.id))
      .map((r) => r.id);
  if (only.length === 0)
    throw new VoxlabError(
      'TRAIN_DATA_INVALID',
      'No labeled images to evaluate on (every labeled image was used for training; pass images explicitly)',
    );
  const data = labeledImages(study, { only, classes: spec.classes, allowOneClass: true });
  await checkScans(data.images, options.signal ? { signal: options.signal } : {});
  const s = spec.inputSize;
  const model = createDenseNet(spec.network, { inputSize: [s, s, s] });
  const source = openDataSource(data.images, s, options);
  try {
    await readWeightsFile(model, spec.weights);
    const ctx = {
      cache: source.cache,
      batchSize: options.batchSize ?? 2,
      classes: spec.classes.length,
      signal: options.signal,
      predict: (x: tf.Tensor5D) => predictBatch(model, x),
    };
    const logits = await predictLogits(ctx, data.images, (done, total) => options.onProgress?.(done, total));
    const labels = Int32Array.from(data.images, (i) => i.classIndex);
    const probs = softmaxRows(logits, spec.classes.length);
    const k = spec.classes.length;
    const images = data.images.map((img, i) => {
      const p = Array.from(probs.subarray(i * k, (i + 1) * k));
      return {
        id: img.id,
        label: img.label,
        predicted: spec.classes[p.indexOf(Math.max(...p))]!,
        probabilities: p,
      };
    });
    return {
      modelId: spec.modelId,
      weights: spec.weights,
      classes: spec.classes,
      metrics: classificationMetrics(logits, labels, k),
      images,
    };
  } finally {
    model.dispose();
    await source.close();
  }
}
