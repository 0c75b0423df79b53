// What a stored heatmap records about how it was made, built the same way by the server's explain.run and
// by `voxlab explain --study`: the parameters as run (defaults filled in), the class explained and the
// class the model predicted, the source and the time it took.

import type { Json, MapSanity } from '../../api/index.js';
import type { ExplanationInput } from '../../datastore/index.js';
import {
  OCCLUDER_WORDS,
  OCCLUSION_DEFAULTS,
  occluderWords,
  type ExplainScanReport,
  type OcclusionParams,
} from '../../explain/index.js';
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
 * The occlusion parameters as run, with the defaults filled in (MONAI's maskSize 16, nBatch 16, overlap
 * 0.25; mode mean_surround, not MONAI's gaussian, see core/explain/occluders.ts; activation softmax), view
 * 'importance' and preprocess 'seed' unless given; bBox / slice only when given (absent = the whole volume).
 * Also what the occluder does and how the map's sign reads, in words (issue #16: recorded with every map).
 */
export function occlusionParamsAsRun(o: OcclusionAsRun): Json {
  const mode = o.mode ?? OCCLUSION_DEFAULTS.mode;
  const view = o.view ?? 'importance';
  return {
    maskSize: (o.maskSize ?? OCCLUSION_DEFAULTS.maskSize) as Json,
    nBatch: o.nBatch ?? OCCLUSION_DEFAULTS.nBatch,
    overlap: o.overlap ?? OCCLUSION_DEFAULTS.overlap,
    mode,
    occluder: occluderWords(mode),
    activation: o.activation ?? OCCLUSION_DEFAULTS.activation,
    view,
    sign: view === 'importance' ? OCCLUDER_WORDS.sign : OCCLUDER_WORDS.probabilitySign,
    engine: o.engine,
    preprocess: o.preprocess ?? 'seed',
    ...(o.slice !== undefined ? { slice: [...o.slice] } : o.bBox !== undefined ? { bBox: [...o.bBox] } : {}),
  };
}

/**
 * Grad-CAM's parameters as run: the preprocessing, the layer weighed and its grid (report.layer), and the
 * engine that computed the map (report.engine, e.g. 'tfjs-wasm': Grad-CAM runs on tfjs, never on the ONNX
 * session that gave the probabilities).
 */
export function gradCamParamsAsRun(
  run: { preprocess?: 'seed' | 'none'; report?: Pick<ExplainScanReport, 'layer' | 'engine'> } = {},
): Json {
  const { report } = run;
  return {
    preprocess: run.preprocess ?? 'seed',
    ...(report?.layer !== undefined ? { layer: report.layer.name, layerGrid: [...report.layer.grid] } : {}),
    ...(report !== undefined ? { engine: report.engine } : {}),
  };
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

/**
 * The contract's MapSanity of a map's params (params.sanity, a core/explain/sanity SanityReport as
 * `voxlab explain --sanity` and explain.run { sanity } store it), or null when no check ran or the stored
 * value is not a report (an older or hand-edited record is shown as "not run", never as passed).
 */
export function mapSanity(params: Json): MapSanity | null {
  const p = params as { sanity?: unknown } | null;
  const r = (typeof p === 'object' && p !== null ? p.sanity : undefined) as
    Record<string, unknown> | undefined;
  if (typeof r !== 'object' || r === null) return null;
  const verdicts = ['passed', 'failed', 'inconclusive'];
  const kinds = ['cascade', 'data', 'all'];
  if (
    !verdicts.includes(r.verdict as string) ||
    !kinds.includes(r.kind as string) ||
    typeof r.words !== 'string'
  )
    return null;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const steps = Array.isArray(r.cascade) ? (r.cascade as Record<string, unknown>[]) : [];
  return {
    verdict: r.verdict as MapSanity['verdict'],
    words: r.words,
    kind: r.kind as MapSanity['kind'],
    lastSpearman: num(r.lastSpearman),
    lastSpearmanAbs: num(r.lastSpearmanAbs),
    dataSpearman: num(r.dataSpearman),
    threshold: num(r.threshold) ?? 0.5,
    steps: steps.map((st) => ({
      layer: String(st.layer),
      spearman: num(st.spearman) ?? NaN,
      spearmanAbs: num(st.spearmanAbs) ?? NaN,
      ssim: num(st.ssim) ?? NaN,
    })),
  };
}
