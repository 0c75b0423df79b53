// The study's models as the service uses them: a model id names a training run (models/<id>/run.json) or
// an imported model (its record's file). Resolved models and their classifiers are opened once and shared
// by inference and explanation; the ClassifierCache (closed by the service) owns the classifiers.

import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { VoxlabError } from '../../common/errors.js';
import type { Study } from '../../datastore/index.js';
import type { ClassifierCache } from '../../infer/index.js';
import { openModelClassifier, resolveModel, type ResolvedModel } from '../../infer/index.js';
import type { Classifier } from '../../infer/classifier.js';

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

/** Opens the study's models on demand; see createModelResolver. */
export interface ModelResolver {
  /** The resolved model and its (cached) classifier. Rejects with NOT_FOUND for an unknown model. */
  resolved(id: string): Promise<{ model: ResolvedModel; classifier: Classifier }>;
  classifier(id: string): Promise<Classifier>;
}

/**
 * A resolver over `study` whose classifiers live in `cache`. Models are cached by id and, for training
 * runs, the time of their checkpoint.json: a stopped run that is resumed and saves more epochs is
 * resolved (and its classifier opened) again, never served stale.
 */
export function createModelResolver(study: Study, cache: ClassifierCache): ModelResolver {
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
  const resolved = async (id: string) => {
    const key = versionOf(id);
    const m = await model(key, id);
    return { model: m, classifier: await cache.get(key, () => openModelClassifier(m)) };
  };
  return { resolved, classifier: async (id) => (await resolved(id)).classifier };
}
