// `voxlab evaluate --study DIR --model ID`: score a trained classifier on the study's labeled scans it did
// not train on (or on the images named), with accuracy, AUC and the confusion matrix.

import { openStudy } from '../../datastore/index.js';
import { evaluate, type EvaluationResult } from '../../train/index.js';
import { numberOption, requiredOption, stringOption, type Command } from '../command.js';
import { ProgressBar } from '../progress.js';
import { BACKEND_OPTIONS, formatConfusion, startBackend, withCancel } from './train.js';

const fmt = (v: number | null): string => (v === null ? '-' : v.toFixed(3));

/** The report printed by `voxlab evaluate`. */
export function formatEvaluation(r: EvaluationResult): string {
  const m = r.metrics;
  const lines = [
    `model     ${r.modelId ?? '(weights file)'}: ${r.weights}`,
    `images    ${m.n}`,
    `accuracy  ${fmt(m.accuracy)}   AUC ${fmt(m.auc)}   loss ${m.loss.toFixed(4)}`,
    ...formatConfusion(m, r.classes),
  ];
  return lines.join('\n');
}

export const evaluateCommand: Command = {
  name: 'evaluate',
  usage: '--study DIR --model ID|WEIGHTS.safetensors [--images ID,ID,...] [--json]',
  summary: 'Score a trained classifier on labeled scans of a study: accuracy, AUC, confusion matrix.',
  positionals: [0, 0],
  options: {
    study: { type: 'string', help: 'the study folder' },
    model: {
      type: 'string',
      help: 'a model id of the study, or a .safetensors file in a run folder (models/<id>/)',
    },
    images: {
      type: 'string',
      help: 'comma-separated image ids (default: every labeled image the model did not train on)',
    },
    batch: { type: 'string', help: 'volumes per forward pass (default 2)' },
    ...BACKEND_OPTIONS,
    json: { type: 'boolean', help: 'print the metrics and per-image probabilities as JSON on stdout' },
  },
  async run(args) {
    const study = openStudy(requiredOption(args, 'study'));
    try {
      const model = requiredOption(args, 'model');
      const images = stringOption(args, 'images')
        ?.split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      const batchSize = numberOption(args, 'batch', { integer: true, min: 1 });
      await startBackend(args);
      const bar = new ProgressBar({ label: 'evaluating' });
      const result = await withCancel((signal) =>
        evaluate(study, model, {
          signal,
          onProgress: bar.update,
          ...(images ? { images } : {}),
          ...(batchSize !== undefined ? { batchSize } : {}),
        }),
      );
      bar.finish();
      process.stdout.write(
        args.values.json === true ? `${JSON.stringify(result)}\n` : `${formatEvaluation(result)}\n`,
      );
      return 0;
    } finally {
      study.close();
    }
  },
};
