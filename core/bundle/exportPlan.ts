// What an exported MONAI bundle trains: the settings, classes, network and train/validation images that
// `voxlab train` would use on the same study (a fresh seeded split), or those of an existing training run.

import type { Study } from '../datastore/index.js';
import { denseNetConfig, type DenseNetConfig } from '../model/index.js';
import { readManifest, runFolder } from '../train/checkpoint.js';
import {
  denseNetKnobs,
  resolveTrainConfig,
  type TrainConfig,
  type TrainConfigInput,
} from '../train/config.js';
import { checkScans, labeledImages, type LabeledImage } from '../train/dataset.js';
import { manifestImages } from '../train/runSetup.js';
import { stratifiedSplit } from '../train/split.js';

/** Everything that decides what the bundle learns. */
export interface BundlePlan {
  readonly config: TrainConfig;
  /** Class names; index = network output = the label in the datalist. */
  readonly classes: readonly string[];
  /** MONAI DenseNet arguments (camelCase) of the network. */
  readonly network: DenseNetConfig;
  /** Training images, in id order (as core/train's split lists them). */
  readonly train: readonly LabeledImage[];
  /** Validation images, in id order. */
  readonly val: readonly LabeledImage[];
  /** The training run whose split and settings these are, or null for a fresh split. */
  readonly runId: string | null;
}

/**
 * With `runId`: the run's manifest (settings, classes, split), after checking that every image still has
 * the label the run started with and that every scan reads. Otherwise the split `train(study, config)`
 * would make: the study's labeled images, stratifiedSplit(valFraction, seed). Throws TRAIN_CONFIG_INVALID,
 * TRAIN_DATA_INVALID (no labels, one class, too few images, unreadable scans, labels changed since the run),
 * NOT_FOUND (no such run), CANCELLED.
 */
export async function planBundle(
  study: Study,
  options: {
    readonly runId?: string;
    readonly config?: TrainConfigInput;
    readonly signal?: AbortSignal;
  } = {},
): Promise<BundlePlan> {
  const signal = options.signal ? { signal: options.signal } : {};
  if (options.runId !== undefined) {
    const manifest = await readManifest(runFolder(study.dir, options.runId));
    const { train, val } = await manifestImages(study, manifest, options.signal);
    return {
      config: manifest.config,
      classes: manifest.classes,
      network: manifest.network,
      train,
      val,
      runId: manifest.runId,
    };
  }
  const config = resolveTrainConfig(options.config ?? {});
  const data = labeledImages(study);
  const split = stratifiedSplit(
    data.images.map((i) => i.classIndex),
    config.valFraction,
    config.seed,
    data.classes,
  );
  await checkScans(data.images, signal);
  return {
    config,
    classes: data.classes,
    network: denseNetConfig(denseNetKnobs(config, data.classes.length)),
    train: split.train.map((i) => data.images[i]!),
    val: split.val.map((i) => data.images[i]!),
    runId: null,
  };
}
