// One call from a scan to an explanation map on that scan: preprocess as the model expects, run occlusion
// sensitivity or Grad-CAM, resample the map onto the scan's voxel grid, optionally write it as NIfTI, and
// report what a CLI or server shows (`voxlab explain ... --json`): classes, probabilities, map statistics,
// the peak voxel, timing.

import { VoxlabError } from '../common/errors.js';
import { voxelToWorld } from '../common/spaces.js';
import type { Classifier } from '../infer/classifier.js';
import type { NiftiImage } from '../io/writeNifti.js';
import type { Volume } from '../io/types.js';
import type { TfModel } from '../model/tfModel.js';
import { modelInput } from '../infer/modelInput.js';
import { activate } from './activate.js';
import { gradCam } from './gradCam.js';
import { mapToScan, writeMapOnScan } from './mapToScan.js';
import { occlusionImportance } from './occlusionImportance.js';
import { occlusionSensitivity, type OcclusionOptions } from './occlusionSensitivity.js';

export type ExplainMethod = 'occlusion' | 'gradcam' | 'gradcam++';

export interface ExplainScanOptions {
  readonly method: ExplainMethod;
  /** Runs occlusion and gives the probabilities reported for every method. */
  readonly classifier: Classifier;
  /** The same network as a tfjs model: needed for Grad-CAM (gradients), unused by occlusion. */
  readonly model?: TfModel;
  /** 'seed' (default): ScaleIntensity -> Resize to the classifier's N^3. 'none': the file's voxels are the input as they are. */
  readonly preprocess?: 'seed' | 'none';
  /** Occlusion parameters, progress and cancel (bBox in model-input voxels). */
  readonly occlusion?: OcclusionOptions;
  /** The class explained; default the predicted class. */
  readonly classIndex?: number;
  /**
   * Occlusion only: 'importance' (default) writes baseline - map (high = important); 'probability' writes
   * MONAI's map of the class (low = important).
   */
  readonly view?: 'importance' | 'probability';
  /** Where to write the map on the scan's grid (.nii.gz / .nii); nothing is written when absent. */
  readonly out?: string;
}

export interface ExplainScanReport {
  readonly method: ExplainMethod;
  readonly classes: readonly string[];
  /** Softmax probabilities of the unoccluded input. */
  readonly probabilities: number[];
  readonly classIndex: number;
  /** Statistics of the map as resampled onto the scan. */
  readonly map: { readonly min: number; readonly max: number; readonly mean: number };
  /** The map's maximum on the scan: voxel (i, j, k) and world RAS mm. */
  readonly peak: { readonly voxel: [number, number, number]; readonly worldMm: [number, number, number] };
  /** Occluded forward passes (occlusion only). */
  readonly windows?: number;
  readonly seconds: number;
  readonly out?: string;
}

/**
 * Explains `classifier`'s decision on `scan` (a Volume read with readNifti). Returns the report and the map
 * on the scan's grid (float32, Fortran order, the scan's affine). Throws BAD_ARGUMENT for Grad-CAM without
 * a model, a bad class index, or (preprocess 'none') a scan whose shape is not the classifier's input;
 * SHAPE_MISMATCH, BAD_VALUES, CANCELLED and I/O errors pass through.
 */
export async function explainScan(
  scan: Volume,
  options: ExplainScanOptions,
): Promise<{ report: ExplainScanReport; image: NiftiImage }> {
  const started = performance.now();
  const { classifier } = options;
  const input = modelInput(scan, classifier.inputShape, options.preprocess ?? 'seed');
  const classes = classifier.classes.length;
  const probabilities = Array.from(activate(await classifier.predict(input, 1), classes, 'softmax'));
  const classIndex = options.classIndex ?? probabilities.indexOf(Math.max(...probabilities));
  if (!(Number.isInteger(classIndex) && classIndex >= 0 && classIndex < classes))
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `explainScan: classIndex must be an integer in [0, ${classes}), got ${classIndex}`,
    );
  const spatial = classifier.inputShape.slice(1) as [number, number, number];
  let data: Float32Array;
  let windows: number | undefined;
  if (options.method === 'occlusion') {
    const result = await occlusionSensitivity(classifier, input, options.occlusion);
    windows = result.plan.windows;
    const n = result.maps.length / classes;
    data =
      options.view === 'probability'
        ? result.maps.slice(classIndex * n, (classIndex + 1) * n)
        : occlusionImportance(result, classIndex);
  } else {
    if (options.model === undefined)
      throw new VoxlabError(
        'BAD_ARGUMENT',
        `explainScan: ${options.method} needs the tfjs model (gradients)`,
      );
    data = gradCam(options.model, input, {
      classIndex,
      method: options.method === 'gradcam++' ? 'gradcam++' : 'gradcam',
    }).map;
  }
  const map = { shape: spatial, data };
  const image =
    options.out === undefined
      ? mapToScan(map, scan)
      : await writeMapOnScan(options.out, map, scan, `voxlab ${options.method} class ${classIndex}`);
  const report: ExplainScanReport = {
    method: options.method,
    classes: [...classifier.classes],
    probabilities,
    classIndex,
    map: stats(image.data as Float32Array),
    peak: peakOf(image),
    ...(windows === undefined ? {} : { windows }),
    seconds: (performance.now() - started) / 1000,
    ...(options.out === undefined ? {} : { out: options.out }),
  };
  return { report, image };
}


function stats(data: Float32Array): { min: number; max: number; mean: number } {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const v of data) {
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
  }
  return { min, max, mean: sum / data.length };
}

function peakOf(image: NiftiImage): ExplainScanReport['peak'] {
  const [nx, ny] = image.shape;
  let best = 0;
  for (let v = 1; v < image.data.length; v++) if (image.data[v]! > image.data[best]!) best = v;
  const voxel: [number, number, number] = [
    best % nx,
    Math.floor(best / nx) % ny,
    Math.floor(best / (nx * ny)),
  ];
  return { voxel, worldMm: [...voxelToWorld(image.affine, voxel)] as [number, number, number] };
}
