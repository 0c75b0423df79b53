// Classifying scans: read, preprocess, batch, run the classifier, softmax. Files are read batch by batch,
// so at most one batch of model inputs is held; progress is reported after each batch.

import { VoxlabError } from '../common/errors.js';
import { readNifti } from '../io/readNifti.js';
import { softmaxRows } from '../train/metrics.js';
import type { Classifier } from './classifier.js';
import { modelInput, type PreprocessMode } from './modelInput.js';

export interface InferOptions {
  /** 'seed' (default): ScaleIntensity -> Resize to the model's input; 'none': the voxels as they are. */
  readonly preprocess?: PreprocessMode;
  /** Volumes per classifier call (MONAI's n_batch; default 4). */
  readonly batchSize?: number;
  readonly signal?: AbortSignal;
  /** After each batch: volumes done, volumes in all. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** One scan's result: logits before activation, softmax probabilities, the most probable class. */
export interface ScanPrediction {
  readonly file: string;
  readonly logits: readonly number[];
  readonly probabilities: readonly number[];
  readonly predicted: string;
}

/**
 * Classifies NIfTI `files` with `classifier`. Throws CANCELLED when the signal aborts (checked before each
 * file and batch), the io errors of readNifti (NOT_FOUND, NOT_NIFTI, ...) naming the file, and
 * modelInput's errors (SHAPE_MISMATCH for a 'none' scan of another size).
 */
export async function inferFiles(
  classifier: Classifier,
  files: readonly string[],
  options: InferOptions = {},
): Promise<ScanPrediction[]> {
  const batchSize = options.batchSize ?? 4;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `inferFiles: batchSize must be a whole number >= 1, got ${batchSize}`,
    );
  const mode = options.preprocess ?? 'seed';
  const per = classifier.inputShape.reduce((a, b) => a * b, 1);
  const k = classifier.classes.length;
  const results: ScanPrediction[] = [];
  for (let start = 0; start < files.length; start += batchSize) {
    const chunk = files.slice(start, start + batchSize);
    const batch = new Float32Array(chunk.length * per);
    for (const [i, file] of chunk.entries()) {
      checkCancelled(options.signal);
      const volume = await readNifti(file);
      batch.set(modelInput(volume, classifier.inputShape, mode, file), i * per);
    }
    checkCancelled(options.signal);
    const logits = await classifier.predict(batch, chunk.length);
    const probs = softmaxRows(logits, k);
    for (const [i, file] of chunk.entries()) {
      const p = Array.from(probs.subarray(i * k, (i + 1) * k), (v) => Math.min(1, Math.max(0, v)));
      results.push({
        file,
        logits: Array.from(logits.subarray(i * k, (i + 1) * k)),
        probabilities: p,
        predicted: classifier.classes[p.indexOf(Math.max(...p))]!,
      });
    }
    options.onProgress?.(results.length, files.length);
  }
  return results;
}

function checkCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new VoxlabError('CANCELLED', 'Inference was cancelled');
}
