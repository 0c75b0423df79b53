// One call from a scan to an explanation map on that scan: preprocess as the model expects, run occlusion
// sensitivity or Grad-CAM, resample the map onto the scan's voxel grid, optionally write it as NIfTI, and
// report what a CLI or server shows (`voxlab explain ... --json`): classes, probabilities, map statistics,
// the peak (tied maxima, centroid; none for a map with no positive evidence, see mapPeak.ts), timing.

import * as tf from '@tensorflow/tfjs-core';
import { VoxlabError } from '../common/errors.js';
import type { Classifier } from '../infer/classifier.js';
import type { NiftiImage } from '../io/writeNifti.js';
import type { Volume } from '../io/types.js';
import type { TfModel } from '../model/tfModel.js';
import { modelInput } from '../infer/modelInput.js';
import { activate } from './activate.js';
import { gradCam } from './gradCam.js';
import { mapToScan, writeMapOnScan } from './mapToScan.js';
import { mapPeak, type MapPeak, type PeakReport } from './mapPeak.js';
import { OCCLUDER_WORDS, occluderWords } from './occluders.js';
import { occlusionImportance } from './occlusionImportance.js';
import type { OcclusionMode } from './occlusionParams.js';
import { occlusionSensitivity, type OcclusionOptions } from './occlusionSensitivity.js';

export type ExplainMethod = 'occlusion' | 'gradcam' | 'gradcam++' | 'layercam';

/** How a Grad-CAM / Grad-CAM++ / LayerCAM map reads (gradCam.ts: relu of the weighted activations, min-max scaled). */
const GRAD_CAM_SIGN =
  "high = the layer's gradient-weighted activations support the class (ReLU'd, scaled to [0, 1]); all 0 = no positive evidence";

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
  /** Grad-CAM, Grad-CAM++, LayerCAM: the layer weighed (gradCamLayers); default defaultGradCamLayer for the method (gradCamLayer.ts). */
  readonly layer?: string;
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
  /**
   * What computed the map: the classifier's engine for occlusion (e.g. 'onnxruntime-cpu'), the active tfjs
   * backend for Grad-CAM ('tfjs-wasm', 'tfjs-webgpu', ...), which runs on the tfjs model, not on the
   * classifier (issue #16: Grad-CAM was reported as 'onnxruntime-cpu').
   */
  readonly engine: string;
  /** What computed `probabilities`: the classifier's engine. */
  readonly classifierEngine: string;
  /** Softmax probabilities of the unoccluded input. */
  readonly probabilities: number[];
  readonly classIndex: number;
  /** Statistics of the map as resampled onto the scan. */
  readonly map: { readonly min: number; readonly max: number; readonly mean: number };
  /**
   * The map's maximum on the scan (voxels (i, j, k), world RAS mm): the tied voxels' count, centroid and
   * regions (see mapPeak); null when the map holds no positive value. Always where the map says "most
   * important": for the probability view (low = important) the peak of baseline - map, its `value` too.
   */
  readonly peak: MapPeak | null;
  /** 'positive evidence' exactly when `peak` is not null (see PeakReport). */
  readonly evidence: PeakReport['evidence'];
  /** Grad-CAM only: the layer weighed and its grid [depth, height, width]. */
  readonly layer?: { readonly name: string; readonly grid: readonly [number, number, number] };
  /** Occlusion only: the occluder that ran (plan.mode) and what it does, in words (occluders.ts). */
  readonly occluder?: { readonly mode: OcclusionMode; readonly words: string };
  /** How to read the map's values, in words: what its sign / high values mean. */
  readonly sign: string;
  /** Occluded forward passes (occlusion only). */
  readonly windows?: number;
  readonly seconds: number;
  readonly out?: string;
}

/**
 * Explains `classifier`'s decision on `scan` (a Volume read with readNifti). Returns the report, the map
 * on the scan's grid (float32, Fortran order, the scan's affine) and the map as computed, on the model-input
 * grid ([depth, height, width], C order; what the saliency sanity checks compare, core/explain/sanity). Throws BAD_ARGUMENT for Grad-CAM without
 * a model, a bad class index, or (preprocess 'none') a scan whose shape is not the classifier's input;
 * SHAPE_MISMATCH, BAD_VALUES, CANCELLED and I/O errors pass through.
 */
export async function explainScan(
  scan: Volume,
  options: ExplainScanOptions,
): Promise<{
  report: ExplainScanReport;
  image: NiftiImage;
  inputMap: { shape: [number, number, number]; data: Float32Array };
}> {
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
  const run =
    options.method === 'occlusion'
      ? await occlusionRun(options, input, classIndex)
      : gradCamRun(options, input, classIndex);
  const { data, uniform, baseline, ...described } = run;
  const map = { shape: spatial, data };
  const image =
    options.out === undefined
      ? mapToScan(map, scan)
      : await writeMapOnScan(options.out, map, scan, `voxlab ${options.method} class ${classIndex}`);
  const report: ExplainScanReport = {
    method: options.method,
    classifierEngine: classifier.engine,
    classes: [...classifier.classes],
    probabilities,
    classIndex,
    map: stats(image.data as Float32Array),
    ...(uniform
      ? { peak: null, evidence: 'uniform positive evidence' as const }
      : mapPeak(importanceOf(image.data, baseline), image.shape, image.affine)),
    ...described,
    seconds: (performance.now() - started) / 1000,
    ...(options.out === undefined ? {} : { out: options.out }),
  };
  return { report, image, inputMap: map };
}

/** One method's map in model-input space ([depth, height, width] C order) and what the report says of it. */
interface MethodRun extends Pick<ExplainScanReport, 'engine' | 'sign' | 'layer' | 'occluder' | 'windows'> {
  readonly data: Float32Array;
  /** Grad-CAM: the layer map is one positive value everywhere (the scaled map is all 0). */
  readonly uniform: boolean;
  /** Probability view: the class's unoccluded output; the peak is taken on baseline - map. */
  readonly baseline?: number;
}

async function occlusionRun(
  options: ExplainScanOptions,
  input: Float32Array,
  classIndex: number,
): Promise<MethodRun> {
  const { classifier } = options;
  const result = await occlusionSensitivity(classifier, input, options.occlusion);
  const n = result.maps.length / classifier.classes.length;
  const probability = options.view === 'probability';
  return {
    data: probability
      ? result.maps.slice(classIndex * n, (classIndex + 1) * n)
      : occlusionImportance(result, classIndex),
    engine: classifier.engine,
    sign: probability ? OCCLUDER_WORDS.probabilitySign : OCCLUDER_WORDS.sign,
    occluder: { mode: result.plan.mode, words: occluderWords(result.plan.mode) },
    windows: result.plan.windows,
    uniform: false,
    ...(probability ? { baseline: result.baseline[classIndex]! } : {}),
  };
}

function gradCamRun(options: ExplainScanOptions, input: Float32Array, classIndex: number): MethodRun {
  if (options.model === undefined)
    throw new VoxlabError('BAD_ARGUMENT', `explainScan: ${options.method} needs the tfjs model (gradients)`);
  const cam = gradCam(options.model, input, {
    classIndex,
    method: options.method === 'occlusion' ? 'gradcam' : options.method,
    ...(options.layer !== undefined ? { layer: options.layer } : {}),
  });
  return {
    data: cam.map,
    // Grad-CAM runs on the tfjs model, whatever runs the classifier.
    engine: `tfjs-${tf.getBackend()}`,
    sign: GRAD_CAM_SIGN,
    layer: { name: cam.layer, grid: cam.layerMap.shape },
    uniform: cam.range.max > 0 && cam.range.max === cam.range.min,
  };
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

/** The map as importance (high = important): itself, or baseline - map for the probability view. */
function importanceOf(data: NiftiImage['data'], baseline: number | undefined): ArrayLike<number> {
  return baseline === undefined ? data : Float32Array.from(data, (v) => baseline - v);
}
