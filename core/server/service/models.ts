// Model handlers: list, import (an uploaded ONNX or safetensors file, or one inside the study folder) and
// export (the weights file's bytes).

import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { VoxlabError } from '../../common/errors.js';
import { writeFileAtomic } from '../../io/atomicWrite.js';
import { parseSafetensors } from '../../model/safetensors.js';
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

export function modelHandlers({ study }: ServiceContext): ModelHandlers {
  return {
    'models.list': async () => study.listModels().map(modelSummary),
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
