// `voxlab next --study DIR --strategy random|first|entropy|tta [--model M]`: the image a person should
// label next (MONAI Label's /activelearning/{strategy}), with the ranking behind the choice.

import { VoxlabError } from '../../common/errors.js';
import { nextImage, STRATEGIES, type NextImageResult, type Strategy } from '../../active/index.js';
import { openStudy } from '../../datastore/index.js';
import type { Classifier } from '../../infer/classifier.js';
import { openModelClassifier } from '../../infer/index.js';
import { numberOption, requiredOption, stringOption, type Command } from '../command.js';
import { ProgressBar } from '../progress.js';
import { MODEL_OPTIONS, modelFromArgs } from './infer.js';
import { withCancel } from './train.js';

/** The text `voxlab next` prints: the choice, then the top of the ranking. */
export function formatNext(r: NextImageResult, top: number): string {
  if (r.id === null) return `every image has a label: nothing to label next (${r.strategy})`;
  const score = (s: number | null) => (s === null ? '-' : s.toFixed(4));
  return [
    `next  ${r.id}  (${r.strategy}, score ${score(r.score)})`,
    ...r.ranking.slice(0, top).map((x, i) => `${String(i + 1).padStart(4)}  ${x.id}  ${score(x.score)}`),
  ].join('\n');
}

export const nextCommand: Command = {
  name: 'next',
  usage: '--study DIR --strategy random|first|entropy|tta [--model M] [--seed N] [--top K] [--json]',
  summary:
    'Name the image to label next by an active-learning strategy (entropy and tta need a model, or stored predictions for entropy).',
  positionals: [0, 0],
  options: {
    ...MODEL_OPTIONS,
    strategy: { type: 'string', help: `one of ${STRATEGIES.join(', ')}`, default: 'entropy' },
    seed: { type: 'string', help: 'random: the seed (default: a fresh draw each time)' },
    top: { type: 'string', help: 'how many of the ranking to print (default 10)' },
    json: { type: 'boolean', help: 'print the choice and the whole ranking as JSON on stdout' },
  },
  async run(args) {
    const studyDir = requiredOption(args, 'study');
    const strategy = stringOption(args, 'strategy') ?? 'entropy';
    if (!(STRATEGIES as readonly string[]).includes(strategy))
      throw new VoxlabError(
        'BAD_ARGUMENT',
        `--strategy must be one of ${STRATEGIES.join(', ')}, got '${strategy}'`,
      );
    const seed = numberOption(args, 'seed', { integer: true }) ?? Date.now() % 2 ** 31;
    const top = numberOption(args, 'top', { integer: true, min: 1 }) ?? 10;
    if (strategy === 'tta' && stringOption(args, 'model') === undefined)
      throw new VoxlabError(
        'BAD_ARGUMENT',
        '--strategy tta needs --model (it runs the model on flipped and rotated views)',
      );
    const study = openStudy(studyDir);
    let classifier: Classifier | undefined;
    try {
      if (stringOption(args, 'model') !== undefined)
        classifier = await openModelClassifier(await modelFromArgs(args));
      const bar = new ProgressBar({ label: `ranking (${strategy})` });
      const result = await withCancel((signal) =>
        nextImage(study, classifier, strategy as Strategy, {
          seed,
          signal,
          onProgress: (p) => bar.update(p.done, p.total),
        }),
      );
      bar.finish();
      process.stdout.write(
        args.values.json === true ? `${JSON.stringify(result)}\n` : `${formatNext(result, top)}\n`,
      );
      return 0;
    } finally {
      await classifier?.dispose();
      study.close();
    }
  },
};
