// `voxlab synth OUT --n N --seed S`: a deterministic synthetic cohort with a planted class signal.

import { VoxlabError } from '../../common/errors.js';
import { LESION_POLARITIES, generateCohort, type LesionPolarity } from '../../synth/index.js';
import { numberOption, stringOption, type Command } from '../command.js';
import { ProgressBar } from '../progress.js';

/** Parses `--shape 120,120,90`. */
function parseShape(raw: string | undefined): [number, number, number] | undefined {
  if (raw === undefined) return undefined;
  const shape = raw.split(/[,x]/).map((s) => Number(s.trim()));
  if (shape.length !== 3 || shape.some((v) => !Number.isInteger(v) || v <= 0)) {
    throw new VoxlabError('BAD_ARGUMENT', `--shape takes three whole numbers like 120,120,90, got '${raw}'`);
  }
  return shape as [number, number, number];
}

export const synthCommand: Command = {
  name: 'synth',
  usage: 'OUT --n N --seed S [--shape X,Y,Z] [--balance F] [--polarity bright|dark|mixed] [--orientation RAS|PSR]',
  summary: 'Write a synthetic cohort of brain-like phantoms with a planted lesion (images, masks, labels.csv, cohort.json).',
  positionals: [1, 1],
  options: {
    n: { type: 'string', help: 'number of subjects' },
    seed: { type: 'string', help: 'seed: the same seed gives byte-identical files', default: '1' },
    shape: { type: 'string', help: 'grid in voxels', default: '120,120,90' },
    balance: { type: 'string', help: 'fraction of subjects with the planted lesion', default: '0.5' },
    polarity: {
      type: 'string',
      help: "the lesion's contrast: 'bright' (hyperintense), 'dark' (hypointense) or 'mixed' (each subject its own); never the image's extreme either way",
      default: 'bright',
    },
    orientation: { type: 'string', help: "voxel order: 'RAS' or 'PSR' (like the IXI scans)", default: 'RAS' },
  },
  async run(args) {
    const out = args.positionals[0]!;
    const n = numberOption(args, 'n', { integer: true, min: 1 });
    if (n === undefined) throw new VoxlabError('BAD_ARGUMENT', '--n is required: how many subjects to generate');
    const orientation = stringOption(args, 'orientation') ?? 'RAS';
    if (orientation !== 'RAS' && orientation !== 'PSR') throw new VoxlabError('BAD_ARGUMENT', `--orientation must be RAS or PSR, got '${orientation}'`);
    const polarity = stringOption(args, 'polarity') ?? 'bright';
    if (!(LESION_POLARITIES as readonly string[]).includes(polarity))
      throw new VoxlabError('BAD_ARGUMENT', `--polarity must be ${LESION_POLARITIES.join(', ')}, got '${polarity}'`);
    const bar = new ProgressBar({ label: 'generating' });
    const shape = parseShape(stringOption(args, 'shape'));
    const manifest = await generateCohort(out, {
      n,
      seed: numberOption(args, 'seed', { integer: true })!,
      classBalance: numberOption(args, 'balance')!,
      orientation,
      lesionPolarity: polarity as LesionPolarity,
      ...(shape ? { shape } : {}),
      onProgress: (p) => bar.update(p.done, p.total, p.subject),
    });
    bar.finish();
    const lesions = manifest.subjects.filter((s) => s.label === 1).length;
    process.stderr.write(`wrote ${manifest.n} subjects to ${out} (${lesions} with the planted lesion); labels in labels.csv, geometry in cohort.json\n`);
    return 0;
  },
};
