// `voxlab models import FILE --study DIR [--id ID] [--classes a,b] [--input-size N] [--json]`: stores a model file in a
// study as the server's models.import does (the same code): ONNX, safetensors, or a PyTorch checkpoint
// (.pt/.pth, read by voxlab's restricted reader that runs nothing, stored as safetensors).

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { METHODS } from '../../api/methods.js';
import { validateArgs } from '../../api/schema.js';
import { VoxlabError } from '../../common/errors.js';
import { appendAudit } from '../../datastore/audit.js';
import { openStudy } from '../../datastore/index.js';
import { isPytorchFile } from '../../infer/resolveModel.js';
import { importModel, type ImportModelRequest } from '../../server/service/models.js';
import { numberOption, requiredOption, stringOption, type Command } from '../command.js';

const ACTIONS = ['import'] as const;

/** The format a file's name says: .onnx, .safetensors, or .pt/.pth (PyTorch). */
function formatOf(file: string): ImportModelRequest['format'] {
  const lower = file.toLowerCase();
  if (lower.endsWith('.onnx')) return 'onnx';
  if (lower.endsWith('.safetensors')) return 'safetensors';
  if (isPytorchFile(lower)) return 'pytorch';
  throw new VoxlabError('BAD_ARGUMENT', `${file}: a model file must end in .onnx, .safetensors, .pt or .pth`);
}

export const modelsCommand: Command = {
  name: 'models',
  usage: 'import FILE --study DIR [--id ID] [--classes a,b] [--input-size N] [--json]',
  summary:
    'Import a model into a study: ONNX, MONAI DenseNet safetensors, or a PyTorch checkpoint (.pt/.pth, read without running any of it).',
  positionals: [2, 2],
  options: {
    study: { type: 'string', help: 'the study folder' },
    id: { type: 'string', help: "the model's id in the study (default: the file's name without its extension)" },
    classes: { type: 'string', help: 'class names, comma-separated, index = output (default: class0, class1, ...)' },
    'input-size': { type: 'string', help: 'input edge in voxels (cubic) for weights files (default 96)' },
    json: { type: 'boolean', help: 'print the imported model as JSON on stdout' },
  },
  async run(args) {
    const [action, file] = args.positionals as [string, string];
    if (!(ACTIONS as readonly string[]).includes(action))
      throw new VoxlabError('BAD_ARGUMENT', `voxlab models: the action must be one of ${ACTIONS.join(', ')}, got '${action}'`);
    const format = formatOf(file);
    const classes = stringOption(args, 'classes')
      ?.split(',')
      .map((c) => c.trim());
    if (classes !== undefined && (classes.length < 2 || classes.some((c) => c === '')))
      throw new VoxlabError('BAD_ARGUMENT', `--classes needs at least two non-empty names, got '${String(args.values.classes)}'`);
    const inputSize = numberOption(args, 'input-size', { integer: true, min: 1 });
    const modelId = stringOption(args, 'id') ?? path.basename(file).replace(/\.[^.]+$/, '');
    const request = validateArgs('models.import', METHODS['models.import'].request, {
      modelId,
      format,
      ...(classes !== undefined ? { classes } : {}),
      ...(inputSize !== undefined ? { config: { inputSize } } : {}),
    }) as ImportModelRequest;
    const data = await readFile(file).catch((e: unknown) => {
      const code = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'NOT_FOUND' : 'IO_ERROR';
      throw new VoxlabError(code, `Cannot read ${file}: ${(e as Error).message}`, { path: file }, { cause: e });
    });
    const study = openStudy(requiredOption(args, 'study'));
    try {
      const summary = await importModel(study, request, new Uint8Array(data), path.basename(file));
      appendAudit(study, {
        account: 'local',
        role: 'admin',
        method: 'models.import',
        target: summary.id,
        detail: { via: 'cli', file: path.basename(file), format },
      });
      const shown = classes ?? '(class0, class1, ... until the model is used)';
      process.stdout.write(
        args.values.json === true
          ? `${JSON.stringify(summary)}\n`
          : `imported ${file} as model ${summary.id} (${format}, stored as ${summary.format}); classes ${Array.isArray(shown) ? shown.join(', ') : shown}\n`,
      );
      return 0;
    } finally {
      study.close();
    }
  },
};
