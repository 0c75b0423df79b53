// The data randomization test (Adebayo et al., NeurIPS 2018, §3.2): the same training recipe on the same
// scans with their labels shuffled. A model that can only memorize has learned nothing about the classes,
// so a map that depends on what was learned must differ from the real model's map.

import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VoxlabError } from '../../common/errors.js';
import { SeededRandom } from '../../common/random.js';
import { openStudy, type Study } from '../../datastore/index.js';
import { resolveModel } from '../../infer/resolveModel.js';
import type { StateDict } from '../../infer/stateDict.js';
import { readManifest, runFolder } from '../../train/checkpoint.js';
import { train, type TrainOptions } from '../../train/train.js';
import type { EpochRecord } from '../../train/checkpoint.js';

/** `labels` permuted by a seeded Fisher-Yates shuffle (the same seed gives the same permutation). */
export function shuffledLabels<T>(labels: readonly T[], seed: number): T[] {
  const out = [...labels];
  const random = new SeededRandom(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.int(0, i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export interface ShuffledModel {
  /** The shuffled-label model's weights (the same network as the run's; MONAI names, PyTorch layouts). */
  readonly state: StateDict;
  /** How training went: a model that reaches high training accuracy on shuffled labels has memorized them. */
  readonly history: readonly EpochRecord[];
  /** How many of the run's images kept their own label after the shuffle. */
  readonly unchanged: number;
  readonly images: number;
}

/**
 * Trains the network of `runId` (a training run of `study`) again with its recorded config, on the images it
 * was trained and validated on, their labels shuffled with SeededRandom(`seed`), in a temporary study (by
 * reference: no scan is copied) removed afterwards. `options` go to train() (backend, signal, onEpoch).
 * Throws NOT_FOUND for an unknown run; training errors (TRAIN_DATA_INVALID, CANCELLED) pass through.
 */
export async function trainOnShuffledLabels(
  study: Study,
  runId: string,
  seed: number,
  options: Omit<TrainOptions, 'runId'> = {},
): Promise<ShuffledModel> {
  const dir = runFolder(study.dir, runId);
  const manifest = await readManifest(dir).catch((e: unknown) => {
    throw new VoxlabError(
      'NOT_FOUND',
      `The data randomization check retrains a training run of the study, and "${runId}" is none (${(e as Error).message})`,
      { modelId: runId },
      { cause: e },
    );
  });
  const entries = [...manifest.train, ...manifest.val];
  const labels = shuffledLabels(
    entries.map((e) => e.label),
    seed,
  );
  const temp = await fsp.mkdtemp(path.join(os.tmpdir(), 'voxlab-sanity-shuffled-'));
  const shuffled = openStudy(path.join(temp, 'study'), { create: { name: `${runId}, labels shuffled` } });
  try {
    for (const [i, e] of entries.entries()) {
      await shuffled.addImage(study.getImage(e.id).path, { copy: false, id: e.id, author: 'sanity' });
      shuffled.setClassLabel(e.id, labels[i]!, { author: 'sanity', note: `shuffled, seed ${seed}` });
    }
    const result = await train(shuffled, manifest.config, { ...options, runId: 'shuffled' });
    const model = await resolveModel(result.modelId, { studyDir: shuffled.dir });
    return {
      state: model.network!.state,
      history: result.history,
      unchanged: labels.filter((l, i) => l === entries[i]!.label).length,
      images: entries.length,
    };
  } finally {
    shuffled.close();
    await fsp.rm(temp, { recursive: true, force: true });
  }
}
