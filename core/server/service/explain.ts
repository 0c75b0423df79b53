// Explanation handlers: explain.run computes an occlusion or Grad-CAM map as a job and stores it in the
// study (maps/<image>/<id>.nii.gz + a row, see core/datastore/explanations.ts); explain.list and
// explain.open read stored maps back (also after a restart); explain.map serves a job's map while the job
// is remembered.

import type { ExplainResult, Json, VolumeMeta } from '../../api/index.js';
import { VoxlabError } from '../../common/errors.js';
import type { ExplanationRecord, ImageRecord } from '../../datastore/index.js';
import { explainScan, type OcclusionOptions } from '../../explain/index.js';
import { gradCamNetwork } from '../../explain/gradCamNetwork.js';
import { chooseOcclusionEngine } from '../../explain/incremental/chooseEngine.js';
import { tfModelFromState } from '../../explain/tfModelFromState.js';
import { readNifti } from '../../io/readNifti.js';
import type { Volume } from '../../io/types.js';
import type { JobContext } from '../jobs.js';
import type { Handlers, ServiceContext } from './context.js';
import { checkMap, retrainable } from '../../explain/sanity/index.js';
import { explanationInput, gradCamParamsAsRun, mapSanity, occlusionParamsAsRun } from './explainRecord.js';
import { occlusionParams, type OcclusionRequest } from './occlusionRequest.js';
import type { ModelResolver } from './studyModels.js';
import { volumeStats } from './volumeStats.js';

type ExplainHandlers = Pick<Handlers, 'explain.run' | 'explain.map' | 'explain.list' | 'explain.open'>;
type ExplainRequest = Parameters<Handlers['explain.run']>[0];

interface ExplainAttachment {
  readonly meta: VolumeMeta;
  readonly data: Float32Array;
}

/** VolumeMeta of a float32 map on `scan`'s grid. */
function mapMeta(imageId: string, scan: Volume, data: Float32Array): VolumeMeta {
  return {
    imageId,
    shape: scan.shape,
    affine: [...scan.affine],
    axcodes: scan.axcodes,
    dtype: 'float32',
    frame: 0,
    frames: 1,
    pixdim: scan.header.pixdim,
    stats: volumeStats(data),
  };
}

/** The explain job: run the method, store the map, answer with its id. */
async function runExplain(
  context: ServiceContext,
  models: ModelResolver,
  ctx: JobContext,
  req: ExplainRequest & { image: ImageRecord; options: OcclusionRequest },
): Promise<{ result: Json; attachment: ExplainAttachment }> {
  const { modelId, imageId, method, classIndex, options } = req;
  const started = performance.now();
  ctx.progress(null, `loading model ${modelId}`);
  const { model, classifier } = await models.resolved(modelId);
  const scan = await readNifti(req.image.path);
  if (req.sanity !== undefined && req.sanity !== 'cascade' && !retrainable(model, context.study))
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `The shuffled-label check (sanity '${req.sanity}') trains the model again on this study's scans, so it needs a model trained in this study; "${modelId}" is ${/^[aeiou]/.test(model.kind) ? 'an' : 'a'} ${model.kind} model, imported: the randomized-layers check (sanity 'cascade') works on it`,
      { modelId },
    );
  // Grad-CAM's tfjs model: from the weights, or from a DenseNet recognised in an ONNX model's graph;
  // any other ONNX graph is refused in words (BAD_ARGUMENT) and only occlusion runs on it.
  const network = method === 'occlusion' ? null : gradCamNetwork(model, method);
  if (network !== null) ctx.progress(null, `${method}: tfjs model from ${network.reason}`);
  // tfjs also runs the sanity checks' Grad-CAM maps and the shuffled-label training.
  const backend = network !== null || req.sanity !== undefined ? await context.backend() : undefined;
  const tfModel = network === null ? undefined : tfModelFromState(network.description, network.state);
  try {
    const { view, engine, slice, layer, ...occlusion } = options;
    const picked =
      method === 'occlusion'
        ? chooseOcclusionEngine(model, engine === 'plain' ? 'plain' : 'auto')
        : undefined;
    if (picked !== undefined) ctx.progress(null, `${picked.name} occlusion engine: ${picked.reason}`);
    const occlusionRun: OcclusionOptions = {
      ...occlusion,
      ...(picked?.engine !== undefined ? { engine: picked.engine } : {}),
      signal: ctx.signal,
      onProgress: (p) => ctx.progress(p.done / p.total, `${p.done} of ${p.total} windows`),
    };
    const {
      report,
      image: map,
      inputMap,
    } = await explainScan(scan, {
      method,
      classifier,
      ...(tfModel !== undefined ? { model: tfModel } : {}),
      ...(classIndex !== undefined ? { classIndex } : {}),
      ...(view !== undefined ? { view } : {}),
      ...(layer !== undefined ? { layer } : {}),
      occlusion: occlusionRun,
    });
    const sanity =
      req.sanity === undefined
        ? null
        : await checkMap({
            kind: req.sanity,
            model,
            scan,
            reference: inputMap.data,
            study: context.study,
            ...(backend !== undefined ? { backend: `tfjs-${backend.backend}` } : {}),
            settings: {
              method,
              classIndex: report.classIndex,
              occlusion,
              ...(view !== undefined ? { view } : {}),
              ...(layer !== undefined ? { layer } : {}),
              engine: engine === 'plain' ? 'plain' : 'auto',
              signal: ctx.signal,
            },
            onProgress: (line, fraction) => ctx.progress(fraction, line),
          });
    const ran =
      method === 'occlusion'
        ? occlusionParamsAsRun({
            ...occlusion,
            ...(view ? { view } : {}),
            ...(slice ? { slice } : {}),
            engine: picked?.name ?? 'plain',
          })
        : gradCamParamsAsRun({ report });
    const asRun = sanity === null ? ran : ({ ...(ran as object), sanity } as unknown as Json);
    ctx.progress(null, 'saving the map in the study');
    const stored = await context.study.recordExplanation(
      explanationInput({
        imageId,
        modelId,
        report,
        image: map,
        params: asRun,
        source: req.source ?? 'api',
        durationMs: performance.now() - started,
      }),
    );
    context.events.publish({ type: 'maps.changed', imageId });
    const data = map.data as Float32Array;
    const result: ExplainResult = {
      mapId: stored.id,
      imageId,
      modelId,
      method,
      classIndex: report.classIndex,
      shape: scan.shape,
      min: report.map.min,
      max: report.map.max,
      sanity: mapSanity(asRun),
      params: {
        ...(asRun as object),
        probabilities: report.probabilities,
        peak: report.peak,
        evidence: report.evidence,
        engine: report.engine,
      } as unknown as Json,
    };
    return { result: result as unknown as Json, attachment: { meta: mapMeta(imageId, scan, data), data } };
  } finally {
    tfModel?.dispose();
  }
}

/** The contract's MapSummary of a stored map (no server path). */
export function mapSummary(r: ExplanationRecord) {
  return {
    id: r.id,
    imageId: r.imageId,
    modelId: r.modelId,
    method: r.method,
    classIndex: r.classIndex,
    className: r.className,
    predictedClass: r.predictedClass,
    params: r.params,
    source: r.source,
    createdAt: r.createdAt,
    min: r.min,
    max: r.max,
    durationMs: r.durationMs,
    sanity: mapSanity(r.params),
  };
}

const bytesOf = (a: Float32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

export function explainHandlers(context: ServiceContext, models: ModelResolver): ExplainHandlers {
  const { study, jobs } = context;
  return {
    'explain.run': async (req) => {
      const image = study.getImage(req.imageId);
      const options = occlusionParams(req.params);
      const subject = { modelId: req.modelId, imageId: req.imageId, method: req.method };
      return jobs.start('explain', subject, (ctx) =>
        runExplain(context, models, ctx, { ...req, image, options }),
      );
    },
    'explain.map': async ({ jobId }) => {
      const job = jobs.get(jobId);
      if (job.kind !== 'explain')
        throw new VoxlabError('BAD_ARGUMENT', `explain.map: job ${jobId} is a ${job.kind} job`);
      const a = jobs.attachment(jobId) as ExplainAttachment | undefined;
      if (a === undefined)
        throw new VoxlabError(
          'NOT_FOUND',
          `explain.map: job ${jobId} has no map (it ${job.state === 'done' ? 'kept none' : `is ${job.state}`})`,
        );
      return { meta: a.meta, bytes: bytesOf(a.data) };
    },
    'explain.list': async ({ imageId }) => study.listExplanations(imageId).map(mapSummary),
    'explain.open': async ({ mapId }) => {
      const stored = study.getExplanation(mapId);
      const map = await readNifti(stored.path).catch((e: unknown) => {
        throw new VoxlabError(
          'NOT_FOUND',
          `The heatmap "${mapId}" is recorded but its file ${stored.storedPath} cannot be read (${(e as Error).message}); run the explanation again`,
          { mapId },
          { cause: e },
        );
      });
      return { meta: mapMeta(stored.imageId, map, map.data), bytes: bytesOf(map.data) };
    },
  };
}
