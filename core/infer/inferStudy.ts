// Batch inference over a study: classify its images and store each prediction (model id, classes,
// probabilities). An image no person has labeled then shows status 'predicted'.

import { VoxlabError } from '../common/errors.js';
import type { ImageStatus, Study } from '../datastore/index.js';
import type { Classifier } from './classifier.js';
import { inferFiles, type InferOptions, type ScanPrediction } from './inferFiles.js';

export interface InferStudyOptions extends InferOptions {
  /** Image ids to classify (default: every image of the study). */
  readonly images?: readonly string[];
}

export interface ImagePrediction extends ScanPrediction {
  readonly imageId: string;
  /** The image's status after the prediction was stored ('labeled' when a person labeled it). */
  readonly status: ImageStatus;
}

/**
 * Classifies the study's images with `classifier` and records each result under `modelId`. Predictions
 * are stored batch by batch as they come, so a cancelled run keeps what it finished. Throws NOT_FOUND
 * for an unknown image id, CANCELLED, and inferFiles' errors.
 */
export async function inferStudy(
  study: Study,
  classifier: Classifier,
  modelId: string,
  options: InferStudyOptions = {},
): Promise<ImagePrediction[]> {
  const images =
    options.images === undefined ? study.listImages() : options.images.map((id) => study.getImage(id));
  if (images.length === 0) throw new VoxlabError('NOT_FOUND', 'The study has no images to classify');
  const results: ImagePrediction[] = [];
  const batchSize = options.batchSize ?? 4;
  for (let start = 0; start < images.length; start += batchSize) {
    const chunk = images.slice(start, start + batchSize);
    const scans = await inferFiles(
      classifier,
      chunk.map((img) => img.path),
      { ...options, batchSize, onProgress: undefined },
    );
    scans.forEach((scan, i) => {
      const imageId = chunk[i]!.id;
      study.recordPrediction(imageId, {
        modelId,
        classes: classifier.classes,
        probabilities: scan.probabilities,
        label: scan.predicted,
      });
      results.push({ ...scan, imageId, status: study.getImage(imageId).status });
    });
    options.onProgress?.(results.length, images.length);
  }
  return results;
}
