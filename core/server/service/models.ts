// Model handlers: list, import (an uploaded ONNX, safetensors or PyTorch .pt file, or one inside the study
// folder; a .pt is read by our restricted reader and stored as safetensors) and export (the weights file's
// bytes). importModel is also what `voxlab models import` runs.

import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { VoxlabError } from '../../common/errors.js';
import { writeFileAtomic } from '../../io/atomicWrite.js';
import type { ModelSummary, Req } from '../../api/index.js';
import type { Study } from '../../datastore/index.js';
import { looksLikePytorch, readPytorchCheckpoint } from '../../io/pytorch/readPytorch.js';
import { parseSafetensors, serializeSafetensors, type SafetensorsFile, type TensorToWrite } from '../../model/safetensors.js';
import { FLOAT_DTYPES, toFloat32, toIntegers } from '../../model/tensorValues.js';
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

/** What importModel needs: the models.import request without its file. */
export type ImportModelRequest = Omit<Req<'models.import'>, 'path'>;

/**
 * Stores `data` as model `modelId` of the study (models/<id>/model.<format>) and records it. A PyTorch
 * checkpoint (format 'pytorch', or a zip sent as 'safetensors') is read without running it and stored as
 * safetensors (floats as F32, integers as I64), so it is an ordinary model from then on; its record's
 * config says format 'pytorch'. `name` (the file's name) starts the messages about its content. Throws
 * WEIGHTS_INVALID (not a file of that format; a checkpoint that asks to run code), ALREADY_EXISTS.
 */
export async function importModel(
  study: Study,
  { modelId, format, classes, config }: ImportModelRequest,
  data: Uint8Array,
  name: string,
): Promise<ModelSummary> {
  const pytorch = format === 'pytorch' || (format === 'safetensors' && looksLikePytorch(data));
  const stored = pytorch ? safetensorsOf(readPytorchCheckpoint(data, name)) : data;
  if (!pytorch) checkWeights(format as 'onnx' | 'safetensors', data);
  const extension = pytorch ? 'safetensors' : format;
  if (study.listModels().some((m) => m.id === modelId))
    throw new VoxlabError('ALREADY_EXISTS', `The study already has a model "${modelId}"`, { modelId });
  const relative = `models/${modelId}/model.${extension}`;
  const target = path.join(study.dir, relative);
  if (existsSync(path.dirname(target)))
    throw new VoxlabError('ALREADY_EXISTS', `${relative}: the folder models/${modelId} already exists`, {
      modelId,
    });
  mkdirSync(path.dirname(target), { recursive: true });
  let record;
  try {
    await writeFileAtomic(target, stored);
    record = study.recordModel({
      id: modelId,
      kind: 'classifier',
      config: {
        ...((config ?? {}) as object),
        imported: true,
        format: pytorch ? 'pytorch' : format,
        ...(classes !== undefined ? { classes } : {}),
      },
      metrics: {},
      path: relative,
      backend: format === 'onnx' ? 'onnxruntime' : 'tfjs',
      dataVersion: null,
    });
  } catch (e) {
    // A failed import (a full disk) leaves no folder behind: the same id can be imported again.
    rmSync(path.dirname(target), { recursive: true, force: true });
    throw e;
  }
  return modelSummary(record);
}

/** A checkpoint's state_dict as safetensors bytes: floats of any width as F32, integers as I64. */
function safetensorsOf(file: SafetensorsFile): Uint8Array {
  const tensors = [...file.tensors].map(([key, t]): [string, TensorToWrite] => {
    if (FLOAT_DTYPES.has(t.dtype)) return [key, { dtype: 'F32', shape: t.shape, data: toFloat32(t) }];
    const ints = toIntegers(t.dtype === 'BOOL' ? { ...t, dtype: 'U8' } : t);
    return [key, { dtype: 'I64', shape: t.shape, data: BigInt64Array.from(ints, (v) => BigInt(v)) }];
  });
  return serializeSafetensors(tensors, { format: 'pt', source: 'pytorch checkpoint' });
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
    'models.import': async ({ modelId, format, classes, path: inside, config }, upload) => {
      if ((upload === undefined) === (inside === undefined))
        throw new VoxlabError(
          'BAD_ARGUMENT',
          'models.import: send the file as the request body or name it with "path", not both or neither',
        );
      // Read whole: the formats are parsed (and checked) in memory before they are stored.
      const data = await readFile(upload?.path ?? resolveInside(study.dir, inside!, 'models.import'));
      const name = inside !== undefined ? path.basename(inside) : 'the uploaded model';
      return importModel(study, { modelId, format, classes, config }, data, name);
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
