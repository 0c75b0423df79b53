// The command line that trains a MONAI bundle with the user's Python: `python -m monai.bundle run` on the
// bundle's configs/train.json, or under a launcher (`torchrun --nproc_per_node 4`, as MONAI's own multi-GPU
// bundles are run: torchrun ... -m monai.bundle run --config_file "['configs/train.json', ...]").

import { existsSync } from 'node:fs';
import path from 'node:path';
import { VoxlabError } from '../common/errors.js';

/** The bundle's training config, relative to its root (MONAI bundle layout). */
export const TRAIN_CONFIG = 'configs/train.json';
/** Added after train.json under a launcher when the bundle has it (MONAI's multi-GPU override config). */
export const MULTI_GPU_CONFIG = 'configs/multi_gpu_train.json';

/**
 * Splits a launcher like `torchrun --nproc_per_node 4` into words: whitespace separates, single or double
 * quotes group. Throws BAD_ARGUMENT for an unclosed quote or an empty launcher.
 */
export function splitLauncher(launch: string): string[] {
  const words: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|([^\s"']+)/g;
  const rest = launch.replace(re, (_m, dq: string | undefined, sq: string | undefined, bare: string | undefined) => {
    words.push(dq ?? sq ?? bare ?? '');
    return '';
  });
  if (/["']/.test(rest) || words.length === 0)
    throw new VoxlabError('BAD_ARGUMENT', `--launch must be a command like "torchrun --nproc_per_node 4", got ${JSON.stringify(launch)}`);
  return words;
}

/**
 * argv (program first) that trains the bundle in `bundleDir` with `python`. A `torchrun` launcher becomes
 * `python -m torch.distributed.run` (torchrun of the same Python as the probed torch, whatever PATH holds);
 * any other launcher (srun, mpirun) is put in front of `python -m monai.bundle run`.
 */
export function bundleCommand(python: string, bundleDir: string, launch?: string | null): string[] {
  const root = path.resolve(bundleDir);
  const configs = [path.join(root, TRAIN_CONFIG)];
  const launcher = launch === undefined || launch === null || launch.trim() === '' ? null : splitLauncher(launch);
  if (launcher !== null && existsSync(path.join(root, MULTI_GPU_CONFIG))) configs.push(path.join(root, MULTI_GPU_CONFIG));
  // monai.bundle's fire CLI reads a Python list literal as several config files, merged in order.
  const configArg = configs.length === 1 ? configs[0]! : `[${configs.map((c) => `'${c}'`).join(',')}]`;
  const bundleRun = ['-m', 'monai.bundle', 'run', '--config_file', configArg, '--bundle_root', root];
  if (launcher === null) return [python, ...bundleRun];
  if (path.basename(launcher[0]!) === 'torchrun')
    return [python, '-m', 'torch.distributed.run', ...launcher.slice(1), ...bundleRun];
  return [...launcher, python, ...bundleRun];
}
