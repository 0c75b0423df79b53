// Test helpers for core/infer: a finished training run folder with seeded weights (no training needed),
// safetensors files of a description, and NIfTI scans of given voxels.

import { mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { toAffine } from '../../common/spaces.js';
import { writeNifti } from '../../io/writeNifti.js';
import {
  denseNetConfig,
  describeDenseNet,
  serializeSafetensors,
  stateEntries,
  type ModelDescription,
  type TensorToWrite,
} from '../../model/index.js';
import { commitCheckpoint, epochFiles, runFolder, writeManifest } from '../../train/checkpoint.js';
import { denseNetKnobs, resolveTrainConfig, type TrainConfigInput } from '../../train/config.js';
import { initialStateDict } from '../stateDict.js';

/** safetensors bytes of `description` with seeded weights (F32) and num_batches_tracked (I64), MONAI's keys. */
export function weightsBytes(description: ModelDescription, seed = 0): Uint8Array {
  const state = initialStateDict(description, seed);
  const tensors: [string, TensorToWrite][] = stateEntries(description).map((e) =>
    e.dtype === 'I64'
      ? [e.key, { dtype: 'I64', shape: e.shape, data: BigInt64Array.of(0n) }]
      : [e.key, { dtype: 'F32', shape: e.shape, data: state.get(e.key)! }],
  );
  return serializeSafetensors(tensors, { format: 'pt' });
}

/**
 * Writes models/<runId>/ in `studyDir` as a finished run would leave it: run.json, one epoch's weights
 * and checkpoint.json naming it (as best when `best`, else only as last). Returns the run folder.
 */
export async function writeRun(
  studyDir: string,
  runId: string,
  options: { config: TrainConfigInput; classes: string[]; seed?: number; best?: boolean },
): Promise<string> {
  const config = resolveTrainConfig(options.config);
  const network = denseNetConfig(denseNetKnobs(config, options.classes.length));
  const s = config.inputSize;
  const dir = runFolder(studyDir, runId);
  mkdirSync(dir, { recursive: true });
  await writeManifest(dir, {
    format: 'voxlab-train-run',
    version: 1,
    runId,
    createdAt: new Date().toISOString(),
    config,
    classes: options.classes,
    network,
    train: [],
    val: [],
    dataVersion: 'test',
    fold: null,
  });
  const files = epochFiles(1);
  await writeFile(
    path.join(dir, files.weights),
    weightsBytes(describeDenseNet(network, [s, s, s]), options.seed ?? 0),
  );
  await writeFile(path.join(dir, files.optimizer), new Uint8Array(0));
  const metrics = { n: 2, accuracy: 0.5, loss: 0.7, auc: null, confusion: [] };
  await commitCheckpoint(dir, {
    format: 'voxlab-train-checkpoint',
    version: 1,
    epoch: 1,
    history: [],
    last: { epoch: 1, ...files },
    best: options.best === false ? null : { epoch: 1, weights: files.weights, metrics },
    savedAt: new Date().toISOString(),
  });
  return dir;
}

/** Writes a NIfTI scan of C-order [D, H, W] values `cOrder` (D = i axis), 1 mm voxels. */
export async function writeScan(
  file: string,
  shape: [number, number, number],
  cOrder: Float32Array,
): Promise<void> {
  const [nx, ny, nz] = shape;
  const data = new Float32Array(nx * ny * nz);
  for (let i = 0; i < nx; i++)
    for (let j = 0; j < ny; j++)
      for (let k = 0; k < nz; k++) data[i + nx * (j + ny * k)] = cOrder[(i * ny + j) * nz + k]!;
  await writeNifti(file, { shape, data, affine: toAffine([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]) });
}
