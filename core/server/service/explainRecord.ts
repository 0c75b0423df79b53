// What a stored heatmap records about how it was made, built the same way by the server's explain.run and
// by `voxlab explain --study`: the parameters as run (defaults filled in), the class explained and the
// class the model predicted, the source and the time it took.

import type { Json } from '../../api/index.js';
import type { ExplanationInput } from '../../datastore/index.js';
import { OCCLUSION_DEFAULTS, type ExplainScanReport, type OcclusionParams } from '../../explain/index.js';
import type { NiftiImage } from '../../io/writeNifti.js';

/** Occlusion settings as given by a caller (any may be missing) plus the choices made while running. */
export interface OcclusionAsRun extends OcclusionParams {
  readonly view?: 'importance' | 'probability';
  /** The engine that ran: incremental (our DenseNets) or plain. */
  readonly engine: 'incremental' | 'plain';
  /** MONAI b_box given as one slice [axis, index] (model-input voxels), when the caller asked so. */
  readonly slice?: readonly [number, number];
  readonly preprocess?: 'seed' | 'none';
}

/**
 * The occlusion parameters as run, with MONAI's defaults filled in (maskSize 16, nBatch 16, overlap 0.25,
 * mode gaussian, activation softmax), view 'importance' and preprocess 'seed' unless given; bBox / slice only
 * when given (absent = the whole volume).
 */
export function occlusionParamsAsRun(o: OcclusionAsRun): Json {
  return {
    maskSize: (o.maskSize ?? OCCLUSION_DEFAULTS.maskSize) as Json,
    nBatch: o.nBatch ?? OCCLUSION_DEFAULTS.nBatch,
    overlap: o.overlap ?? OCCLUSION_DEFAULTS.overlap,
    mode: o.mode ?? OCCLUSION_DEFAULTS.mode,
    activation: o.activation ?? OCCLUSION_DEFAULTS.activation,
    view: o.view ?? 'importance',
    engine: o.engine,
    preprocess: o.preprocess ?? 'seed',
    ...(o.slice !== undefined ? { slice: [...o.slice] } : o.bBox !== undefined ? { bBox: [...o.bBox] } : {}),
  };
}

/** Grad-CAM's parameters as run: only the preprocessing (the target layer is the network's last convolution). */
export function gradCamParamsAsRun(preprocess: 'seed' | 'none' = 'seed'): Json {
  return { preprocess };
}

/**
 * The record of a finished explanation of `imageId` by `modelId`: class names from the report, the
 * predicted class = the highest unoccluded probability, the map on the scan's grid (float32).
 */
export function explanationInput(run: {
  readonly imageId: string;
  readonly modelId: string;
  readonly report: ExplainScanReport;
  readonly image: NiftiImage;
  readonly params: Json;
  readonly source: ExplanationInput['source'];
  readonly durationMs: number | null;
}): ExplanationInput {
  const { report } = run;
  const best = report.probabilities.indexOf(Math.max(...report.probabilities));
  return {
    imageId: run.imageId,
    modelId: run.modelId,
    method: report.method,
    classIndex: report.classIndex,
    className: report.classes[report.classIndex] ?? null,
    predictedClass: best >= 0 ? (report.classes[best] ?? null) : null,
    params: run.params,
    source: run.source,
    map: {
      shape: run.image.shape,
      data: run.image.data instanceof Float32Array ? run.image.data : Float32Array.from(run.image.data),
      affine: run.image.affine,
    },
    durationMs: run.durationMs,
  };
}
