// Model handlers: list, import (an uploaded ONNX or safetensors file, or one inside the study folder) and
// export (the weights file's bytes).

import { existsSync, mkdirSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { VoxlabError } from '../../common/errors.js';
import { writeFileAtomic } from '../../io/atomicWrite.js';
import type { ModelSummary } from '../../api/index.js';
import type { Study } from '../../datastore/index.js';
import { parseSafetensors } from '../../model/safetensors.js';
import { MODELS_FOLDER, readCheckpoint, readManifest } from '../../train/checkpoint.js';
import { resolveInside } from '../studyPaths.js';
import type { Handlers, ServiceContext } from './context.js';
import { modelSummary, weightsFormat } from './dto.js';

type ModelHandlers = Pick<Handlers, 'models.list' | 'models.import' | 'models.export'>;

/** Throws WEIGHTS_INVALID unless `bytes` look like a file of `format` (safetensors parsed; ONNX: a protobuf ModelProto start). */
function checkWeights(format: 'onnx' | 'safetensors', bytes: Uint8Array): void {
  if (format === 'safetensors') {
    parseSafetensors(bytes);
    return;
  }
  // An ONNX ModelProto starts with field 1 (ir_version, varint): tag byte 0x08.
  if (bytes.length < 16 || bytes[0] !== 0x08)
    throw new VoxlabError(
      'WEIGHTS_INVALID',
      'models.import: the file is not an ONNX model (it does not start with an ONNX ModelProto)',
    );
}

/**
 * Training runs with saved epochs that are not (yet) recorded as models: stopped before their last epoch,
 * or training now. They serve inference, explanation and export from their best (else last) epoch, so a
 * stopped run is never stranded; `config.state` says which ('stopped' or 'training').
 */
export async function unfinishedRuns(
  study: Study,
  training: ReadonlySet<string>,
): Promise<{ summary: ModelSummary; weights: string }[]> {
  const root = path.join(study.dir, MODELS_FOLDER);
  if (!existsSync(root)) return [];
  const recorded = new Set(study.listModels().map((m) => m.id));
  const out: { summary: ModelSummary; weights: string }[] = [];
  for (const entry of await readdir(root, { withFileTypes: true })) {
    if (!entry.isDirectory() || recorded.has(entry.name)) continue;
    const dir = path.join(root, entry.name);
    if (!existsSync(path.join(dir, 'run.json'))) continue;
    const [manifest, state] = await Promise.all([
      readManifest(dir).catch(() => null),
      readCheckpoint(dir).catch(() => null),
    ]);
    if (manifest === null || state === null) continue;
    const chosen = state.best ?? state.last;
    out.push({
      weights: path.join(dir, chosen.weights),
      summary: {
        id: manifest.runId,
        kind: 'classifier',
        backend: state.history.at(-1)?.backend ?? 'tfjs',
        createdAt: manifest.createdAt,
        dataVersion: manifest.dataVersion,
        format: 'safetensors',
        config: {
          state: training.has(manifest.runId) ? 'training' : 'stopped',
          classes: [...manifest.classes],
          inputSize: manifest.config.inputSize,
          epochs: state.history.length,
          of: manifest.config.epochs,
        },
        metrics: JSON.parse(
          JSON.stringify({ bestEpoch: chosen.epoch, best: state.best?.metrics ?? null }),
        ) as ModelSummary['metrics'],
      },
    });
  }
  return out;
}

export function modelHandlers({ study, jobs }: ServiceContext): ModelHandlers {
  const training = () =>
    new Set(
      jobs
        .running('train')
        .map((j) => (j.subject as { runId?: unknown } | null)?.runId)
        .filter((id): id is string => typeof id === 'string'),
    );
  return {
    'models.list': async () => [
      ...study.listModels().map(modelSummary),
      ...(await unfinishedRuns(study, training())).map((r) => r.summary),
    ],
    'models.import': async ({ modelId, format, classes, path: inside, config }, bytes) => {
      if ((bytes === undefined) === (inside === undefined))
        throw new VoxlabError(
          'BAD_ARGUMENT',
          'models.import: send the file as the request body or name it with "path", not both or neither',
        );
      const data = bytes ?? (await readFile(resolveInside(study.dir, inside!, 'models.import')));
      checkWeights(format, data);
      if (study.listModels().some((m) => m.id === modelId))
        throw new VoxlabError('ALREADY_EXISTS', `The study already has a model "${modelId}"`, { modelId });
      const relative = `models/${modelId}/model.${format}`;
      const target = path.join(study.dir, relative);
      if (existsSync(path.dirname(target)))
        throw new VoxlabError('ALREADY_EXISTS', `${relative}: the folder models/${modelId} already exists`, {
          modelId,
        });
      mkdirSync(path.dirname(target), { recursive: true });
      await writeFileAtomic(target, data);
      const record = study.recordModel({
        id: modelId,
        kind: 'classifier',
        config: {
          ...((config ?? {}) as object),
          imported: true,
          format,
          ...(classes !== undefined ? { classes } : {}),
        },
        metrics: {},
        path: relative,
        backend: format === 'onnx' ? 'onnxruntime' : 'tfjs',
        dataVersion: null,
      });
      return modelSummary(record);
    },
    'models.export': async ({ modelId }) => {
      const unfinished = (await unfinishedRuns(study, training())).find((r) => r.summary.id === modelId);
      if (unfinished !== undefined) {
        const bytes = await readFile(unfinished.weights);
        return {
          meta: { modelId, format: 'safetensors' as const, fileName: `${modelId}.safetensors` },
          bytes,
        };
      }
      const model = study.getModel(modelId);
      const format = weightsFormat(model.path);
      if (model.path === null || format === null)
        throw new VoxlabError(
          'NOT_FOUND',
          `Model "${modelId}" has no ONNX or safetensors weights to export`,
          { modelId },
        );
      const file = path.isAbsolute(model.path) ? model.path : path.join(study.dir, model.path);
      const bytes = await readFile(file).catch((e: unknown) => {
        throw new VoxlabError(
          'NOT_FOUND',
          `The weights of model "${modelId}" are missing: ${(e as Error).message}`,
          { modelId },
          { cause: e },
        );
      });
      return { meta: { modelId, format, fileName: `${modelId}.${format}` }, bytes };
    },
  };
}
