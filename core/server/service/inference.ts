// Inference, explanation and TTA active learning over the study's models: a model id names a training
// run (models/<id>/run.json) or an imported model (its record's file); classifiers are opened once and
// kept in a ClassifierCache that the service closes. Explanations run as jobs; their maps (on the scan's
// own grid) stay attached to the job for explain.map.

import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { nextImage } from '../../active/index.js';
import type { ExplainResult, InferResult, Json, VolumeMeta } from '../../api/index.js';
import { VoxlabError } from '../../common/errors.js';
import type { Study } from '../../datastore/index.js';
import { explainScan, type OcclusionOptions } from '../../explain/index.js';
import { incrementalOcclusionEngine } from '../../explain/incremental/ortPieces.js';
import { tfModelFromState } from '../../explain/tfModelFromState.js';
import type { ClassifierCache } from '../../infer/index.js';
import { inferStudy, openModelClassifier, resolveModel, type ResolvedModel } from '../../infer/index.js';
import type { Classifier } from '../../infer/classifier.js';
import { readNifti } from '../../io/readNifti.js';
import type { Handlers, ServiceContext } from './context.js';
import { volumeStats } from './volumeStats.js';

type InferenceHandlers = Pick<Handlers, 'infer.run' | 'explain.run' | 'explain.map' | 'active.next'>;

/** A resolved model of the study: a training run by id, else an imported model's file and settings. */
export async function resolveStudyModel(study: Study, modelId: string): Promise<ResolvedModel> {
  if (existsSync(path.join(study.dir, 'models', modelId, 'run.json')))
    return resolveModel(modelId, { studyDir: study.dir });
  const record = study.getModel(modelId);
  if (record.path === null)
    throw new VoxlabError('NOT_FOUND', `Model "${modelId}" has no weights file`, { modelId });
  const config = (record.config ?? {}) as { arch?: unknown; inputSize?: unknown; classes?: unknown };
  const file = path.isAbsolute(record.path) ? record.path : path.join(study.dir, record.path);
  const resolved = await resolveModel(file, {
    ...(typeof config.arch === 'string' ? { arch: config.arch } : {}),
    ...(typeof config.inputSize === 'number' ? { inputSize: config.inputSize } : {}),
  });
  const classes =
    Array.isArray(config.classes) && config.classes.every((c) => typeof c === 'string')
      ? (config.classes as string[])
      : null;
  return { ...resolved, id: modelId, ...(classes !== null ? { classes } : {}) };
}

/** Occlusion settings from explain.run's `params` JSON (MONAI's names in camelCase, checked by planOcclusion). */
function occlusionParams(params: Json | undefined): Pick<
  OcclusionOptions,
  'maskSize' | 'nBatch' | 'overlap' | 'mode' | 'bBox' | 'activation'
> & {
  view?: 'importance' | 'probability';
  engine?: 'auto' | 'plain';
} {
  if (params === undefined || params === null) return {};
  if (typeof params !== 'object' || Array.isArray(params))
    throw new VoxlabError('BAD_ARGUMENT', 'explain.run: params must be an object');
  const p = params as Record<string, Json>;
  const known = ['maskSize', 'nBatch', 'overlap', 'mode', 'bBox', 'slice', 'activation', 'view', 'engine'];
  const unknown = Object.keys(p).filter((k) => !known.includes(k));
  if (unknown.length > 0)
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `explain.run: unknown params ${unknown.join(', ')} (known: ${known.join(', ')})`,
    );
  let bBox = p.bBox as number[] | undefined;
  if (p.slice !== undefined) {
    const s = p.slice as number[];
    if (!Array.isArray(s) || s.length !== 2 || !s.every((v) => Number.isInteger(v)) || s[0]! < 0 || s[0]! > 2)
      throw new VoxlabError('BAD_ARGUMENT', 'explain.run: params.slice must be [axis 0-2, index]');
    bBox = [-1, -1, -1, -1, -1, -1];
    bBox[2 * s[0]!] = s[1]!;
    bBox[2 * s[0]! + 1] = s[1]! + 1;
  }
  return {
    ...(p.maskSize !== undefined ? { maskSize: p.maskSize as number } : {}),
    ...(p.nBatch !== undefined ? { nBatch: p.nBatch as number } : {}),
    ...(p.overlap !== undefined ? { overlap: p.overlap as number } : {}),
    ...(p.mode !== undefined ? { mode: p.mode as OcclusionOptions['mode'] & string } : {}),
    ...(bBox !== undefined ? { bBox } : {}),
    ...(p.activation !== undefined
      ? { activation: p.activation as OcclusionOptions['activation'] & string }
      : {}),
    ...(p.view === 'importance' || p.view === 'probability' ? { view: p.view } : {}),
    ...(p.engine === 'plain' ? { engine: 'plain' as const } : {}),
  };
}

interface ExplainAttachment {
  readonly meta: VolumeMeta;
  readonly data: Float32Array;
}

export function inferenceHandlers(context: ServiceContext, cache: ClassifierCache): InferenceHandlers {
  const { study, jobs } = context;
  // Cached by id and, for training runs, the time of their checkpoint.json: a stopped run that is resumed
  // and saves more epochs is resolved (and its classifier opened) again, never served stale.
  const models = new Map<string, Promise<ResolvedModel>>();
  const versionOf = (id: string): string => {
    const checkpoint = path.join(study.dir, 'models', id, 'checkpoint.json');
    return existsSync(checkpoint) ? `${id}@${statSync(checkpoint).mtimeMs}` : id;
  };
  const model = (key: string, id: string) => {
    let m = models.get(key);
    if (m === undefined) {
      m = resolveStudyModel(study, id);
      models.set(key, m);
      m.catch(() => models.delete(key));
    }
    return m;
  };
  const resolved = async (id: string): Promise<{ model: ResolvedModel; classifier: Classifier }> => {
    const key = versionOf(id);
    const m = await model(key, id);
    return { model: m, classifier: await cache.get(key, () => openModelClassifier(m)) };
  };
  const classifier = async (id: string): Promise<Classifier> => (await resolved(id)).classifier;

  return {
    'infer.run': async ({ modelId, imageId }) => {
      study.getImage(imageId);
      return jobs.start('infer', { modelId, imageId }, async (ctx) => {
        ctx.progress(null, `loading model ${modelId}`);
        const c = await classifier(modelId);
        ctx.progress(0.5, `classifying ${imageId}`);
        const [p] = await inferStudy(study, c, modelId, { images: [imageId], signal: ctx.signal });
        const result: InferResult = {
          imageId,
          modelId,
          classes: [...c.classes],
          probabilities: [...p!.probabilities],
          label: p!.predicted,
        };
        return { result: result as unknown as Json };
      });
    },
    'explain.run': async ({ modelId, imageId, method, classIndex, params }) => {
      const image = study.getImage(imageId);
      const options = occlusionParams(params);
      return jobs.start('explain', { modelId, imageId, method }, async (ctx) => {
        ctx.progress(null, `loading model ${modelId}`);
        const { model: resolvedModel, classifier: c } = await resolved(modelId);
        const scan = await readNifti(image.path);
        const network = resolvedModel.network;
        if (method !== 'occlusion' && network === null)
          throw new VoxlabError(
            'BAD_ARGUMENT',
            `${method} needs gradients, so the model's weights; model "${modelId}" is an ONNX file: use occlusion`,
          );
        const tfModel =
          method === 'occlusion'
            ? undefined
            : (await context.backend(), tfModelFromState(network!.description, network!.state));
        try {
          const { view, engine, ...occlusion } = options;
          const incremental =
            engine !== 'plain' && network !== null && network.description.family === 'DenseNet';
          const { report, image: map } = await explainScan(scan, {
            method,
            classifier: c,
            ...(tfModel !== undefined ? { model: tfModel } : {}),
            ...(classIndex !== undefined ? { classIndex } : {}),
            ...(view !== undefined ? { view } : {}),
            occlusion: {
              ...occlusion,
              ...(incremental
                ? { engine: incrementalOcclusionEngine(network.description, network.state) }
                : {}),
              signal: ctx.signal,
              onProgress: (p) => ctx.progress(p.done / p.total, `${p.done} of ${p.total} windows`),
            },
          });
          const data = map.data as Float32Array;
          const meta: VolumeMeta = {
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
          const result: ExplainResult = {
            imageId,
            modelId,
            method,
            classIndex: report.classIndex,
            shape: scan.shape,
            min: report.map.min,
            max: report.map.max,
            params: {
              ...(params === undefined || params === null ? {} : (params as object)),
              probabilities: report.probabilities,
              peak: report.peak,
            } as unknown as Json,
          };
          const attachment: ExplainAttachment = { meta, data };
          return { result: result as unknown as Json, attachment };
        } finally {
          tfModel?.dispose();
        }
      });
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
      return { meta: a.meta, bytes: new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength) };
    },
    'active.next': async ({ strategy, modelId }) => {
      if (strategy === 'tta' && modelId === undefined)
        throw new VoxlabError('BAD_ARGUMENT', 'active.next: strategy tta needs a modelId');
      const c = strategy === 'tta' ? await classifier(modelId!) : undefined;
      if (modelId !== undefined && c === undefined && !existsSync(path.join(study.dir, 'models', modelId)))
        study.getModel(modelId);
      const r = await nextImage(study, c, strategy, {
        seed: Date.now() % 2 ** 31,
        ...(modelId !== undefined ? { modelId } : {}),
      });
      return {
        imageId: r.id,
        strategy,
        score: r.score,
        remaining: r.ranking.length,
        ranking: r.ranking.map((x) => ({ id: x.id, score: x.score })),
      };
    },
  };
}
