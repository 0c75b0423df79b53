// `voxlab infer --model M FILE...`: classify scans with a trained or imported model in ONNX Runtime, or
// `--study DIR --all` to classify every image of a study and store the predictions there.

import { VoxlabError } from '../../common/errors.js';
import { openStudy } from '../../datastore/index.js';
import {
  inferFiles,
  inferStudy,
  openModelClassifier,
  PREPROCESS_MODES,
  resolveModel,
  type Classifier,
  type PreprocessMode,
  type ResolvedModel,
  type ScanPrediction,
} from '../../infer/index.js';
import {
  numberOption,
  requiredOption,
  stringOption,
  type Command,
  type OptionSpec,
  type ParsedArgs,
} from '../command.js';
import { ProgressBar } from '../progress.js';
import { withCancel } from './train.js';

/** `--model`, `--study`, `--arch`, `--input-size`, shared by infer and export-onnx. */
export const MODEL_OPTIONS: Record<string, OptionSpec> = {
  model: {
    type: 'string',
    help: 'a model id of the study (a run in models/), a .safetensors file (MONAI names) or a .onnx file',
  },
  study: { type: 'string', help: 'the study folder (for a model id)' },
  arch: {
    type: 'string',
    help: 'architecture of a bare .safetensors file: densenet121, small or tiny (default: read off the weights)',
  },
  'input-size': {
    type: 'string',
    help: 'network input edge in voxels for files without run.json (default 96)',
  },
};

/** Resolves the model the options name. */
export function modelFromArgs(args: ParsedArgs): Promise<ResolvedModel> {
  const study = stringOption(args, 'study');
  const arch = stringOption(args, 'arch');
  const inputSize = numberOption(args, 'input-size', { integer: true, min: 1 });
  return resolveModel(requiredOption(args, 'model'), {
    ...(study !== undefined ? { studyDir: study } : {}),
    ...(arch !== undefined ? { arch } : {}),
    ...(inputSize !== undefined ? { inputSize } : {}),
  });
}

/** One line per scan: name, predicted class, probability of each class. */
export function formatPrediction(
  r: ScanPrediction & { imageId?: string },
  classes: readonly string[],
): string {
  const probs = classes.map((c, i) => `${c} ${r.probabilities[i]!.toFixed(3)}`).join('  ');
  return `${r.imageId ?? r.file}  ${r.predicted}  (${probs})`;
}

/** What `voxlab infer` prints on stdout: one JSON object, or a model line and a line per scan. */
function formatInferOutput(
  json: boolean,
  model: ResolvedModel,
  classifier: Classifier,
  results: readonly (ScanPrediction & { imageId?: string })[],
  run: { preprocess: PreprocessMode; all: boolean; seconds: number },
): string {
  const { classes, inputShape, engine } = classifier;
  if (json) {
    const header = { id: model.id, kind: model.kind, classes, inputShape, engine };
    const { preprocess, all, seconds } = run;
    return `${JSON.stringify({ model: header, preprocess, stored: all, seconds, results })}\n`;
  }
  const lines = [
    `model  ${model.id} (${model.kind}), classes ${classes.join(', ')}, input [${inputShape.join(', ')}], ${engine}`,
    ...results.map((r) => formatPrediction(r, classes)),
    ...(run.all ? [`stored ${results.length} predictions in the study under model ${model.id}`] : []),
  ];
  return `${lines.join('\n')}\n`;
}

function preprocessFromArgs(args: ParsedArgs): PreprocessMode {
  const mode = stringOption(args, 'preprocess') ?? 'seed';
  if (!(PREPROCESS_MODES as readonly string[]).includes(mode))
    throw new VoxlabError('BAD_ARGUMENT', `--preprocess must be seed or none, got '${mode}'`);
  return mode as PreprocessMode;
}

export const inferCommand: Command = {
  name: 'infer',
  usage:
    '--model M FILE... [--study DIR] [--arch A] [--input-size N] [--preprocess seed|none] [--json] | --model M --study DIR --all',
  summary:
    'Classify scans with a trained or imported model (ONNX Runtime); --all stores predictions in the study.',
  positionals: [0, Number.MAX_SAFE_INTEGER],
  options: {
    ...MODEL_OPTIONS,
    all: { type: 'boolean', help: 'classify every image of --study and store the predictions' },
    preprocess: {
      type: 'string',
      help: "seed (ScaleIntensity -> Resize to the model's input) or none (voxels as they are)",
      default: 'seed',
    },
    batch: { type: 'string', help: 'volumes per forward pass (default 4)' },
    provider: {
      type: 'string',
      help: 'ONNX Runtime execution provider: auto (CUDA/DirectML/CoreML when present), cpu, cuda, dml, coreml',
      default: 'auto',
    },
    json: {
      type: 'boolean',
      help: 'print the model and the logits and probabilities of each scan as JSON on stdout',
    },
  },
  async run(args) {
    const all = args.values.all === true;
    const files = args.positionals;
    if (all && files.length > 0)
      throw new VoxlabError('BAD_ARGUMENT', '--all classifies the whole study: give no files with it');
    if (all && stringOption(args, 'study') === undefined)
      throw new VoxlabError('BAD_ARGUMENT', '--all needs --study DIR');
    if (!all && files.length === 0)
      throw new VoxlabError('BAD_ARGUMENT', 'give the scans to classify (FILE...), or --study DIR --all');
    const preprocess = preprocessFromArgs(args);
    const batchSize = numberOption(args, 'batch', { integer: true, min: 1 }) ?? 4;
    const started = performance.now();
    const model = await modelFromArgs(args);
    const classifier = await openModelClassifier(model, {
      provider: stringOption(args, 'provider') ?? 'auto',
    });
    const fallback = classifier.ortSession.fallbackReason;
    if (fallback !== null)
      process.stderr.write(`provider not used (${fallback}); running on ${classifier.engine}\n`);
    try {
      const bar = new ProgressBar({ label: 'inferring' });
      const options = { preprocess, batchSize, onProgress: bar.update };
      const results = await withCancel(async (signal) => {
        if (!all) return inferFiles(classifier, files, { ...options, signal });
        const study = openStudy(requiredOption(args, 'study'));
        try {
          return await inferStudy(study, classifier, model.id, { ...options, signal });
        } finally {
          study.close();
        }
      });
      bar.finish();
      const seconds = (performance.now() - started) / 1000;
      process.stdout.write(
        formatInferOutput(args.values.json === true, model, classifier, results, {
          preprocess,
          all,
          seconds,
        }),
      );
      return 0;
    } finally {
      await classifier.dispose();
    }
  },
};
