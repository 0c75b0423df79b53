// `voxlab export-bundle --study DIR --out DIR`: the study's training as a MONAI bundle that trains what
// `voxlab train` would (same images, split, preprocessing, network and schedule), with
// `python -m monai.bundle run` or torchrun, without pytorch-ignite (core/bundle, issue #14).

import { VoxlabError } from '../../common/errors.js';
import { openStudy } from '../../datastore/index.js';
import { exportBundle } from '../../bundle/exportBundle.js';
import { resolveTrainConfig } from '../../train/index.js';
import { requiredOption, stringOption, type Command } from '../command.js';
import { configFromArgs, SETTINGS, withCancel } from './train.js';

export const exportBundleCommand: Command = {
  name: 'export-bundle',
  usage:
    '--study DIR --out DIR [--run ID | --epochs N --lr X --batch N --size N --model M --seed S ...] [--images copy|link] [--with-phi]',
  summary:
    "Write the study's training as a MONAI bundle (configs, plain-PyTorch training script, datalist, images) that trains what `voxlab train` would.",
  positionals: [0, 0],
  options: {
    study: { type: 'string', help: 'the study folder' },
    out: { type: 'string', help: 'the bundle folder to create (new or empty)' },
    run: { type: 'string', help: "export this training run's settings and split instead of a new split" },
    images: {
      type: 'string',
      help: "'copy' the images into OUT/data/images, or 'link' them (symbolic links to the study's files)",
      default: 'copy',
    },
    'with-phi': {
      type: 'boolean',
      help: 'also write image ids, PatientIDs and DICOM UIDs in the datalist (default: pseudonymous subject ids only)',
    },
    epochs: { type: 'string', help: 'passes over the training images (default 5)' },
    lr: { type: 'string', help: 'Adam learning rate (default 1e-4)' },
    batch: { type: 'string', help: 'volumes per step (default 2)' },
    size: { type: 'string', help: 'network input edge in voxels (default 96)' },
    model: { type: 'string', help: 'densenet121, small or tiny' },
    'val-fraction': { type: 'string', help: 'fraction of each class held out for validation (default 0.2)' },
    'val-interval': { type: 'string', help: 'validate every N epochs, and after the last (default 2)' },
    'rotate-prob': { type: 'string', help: 'RandRotate90 probability, 0 = off (default 0.1)' },
    'flip-prob': { type: 'string', help: 'RandFlip probability over all axes (default off)' },
    seed: { type: 'string', help: 'seed of the split and of the bundle run (default 0)' },
  },
  async run(args) {
    const runId = stringOption(args, 'run');
    const given = SETTINGS.filter((name) => args.values[name] !== undefined);
    if (runId !== undefined && given.length > 0)
      throw new VoxlabError(
        'BAD_ARGUMENT',
        `--run exports a run with its own settings: drop ${given.map((n) => `--${n}`).join(', ')}`,
      );
    const images = stringOption(args, 'images') ?? 'copy';
    if (images !== 'copy' && images !== 'link')
      throw new VoxlabError('BAD_ARGUMENT', `--images must be 'copy' or 'link', got '${images}'`);
    const config = configFromArgs(args);
    resolveTrainConfig(config); // a bad setting fails before the study opens
    const out = requiredOption(args, 'out');
    const study = openStudy(requiredOption(args, 'study'));
    try {
      const result = await withCancel((signal) =>
        exportBundle(study, out, {
          ...(runId !== undefined ? { runId } : { config }),
          images,
          withPhi: args.values['with-phi'] === true,
          signal,
        }),
      );
      const { plan } = result;
      process.stderr.write(
        [
          `wrote ${result.dir}: ${plan.train.length} training, ${plan.val.length} validation image(s) (${images === 'copy' ? 'copied' : 'linked'} into data/images), classes ${plan.classes.join(', ')}`,
          `train:   cd ${result.dir} && python -m monai.bundle run --config_file configs/train.json [--data_root DIR]`,
          `N procs: torchrun --nproc_per_node N -m monai.bundle run --config_file "['configs/train.json','configs/multi_gpu_train.json']"`,
          '',
        ].join('\n'),
      );
      return 0;
    } finally {
      study.close();
    }
  },
};
