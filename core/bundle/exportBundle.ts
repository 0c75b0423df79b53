// `voxlab export-bundle`: a study's training as a MONAI bundle (Model Zoo layout) that trains what
// `voxlab train` would, with `python -m monai.bundle run` or under torchrun, without pytorch-ignite
// (issue #14). The layout and the run-time contract are in core/bundle/README.md.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { VoxlabError } from '../common/errors.js';
import type { Study } from '../datastore/index.js';
import type { TrainConfigInput } from '../train/config.js';
import {
  BUNDLE_PATHS,
  inferenceConfig,
  metadata,
  multiGpuTrainConfig,
  trainConfig,
} from './exportConfigs.js';
import { buildBundleDatalist, writeCaseFiles, type ExportedCase, type ImageMode } from './exportData.js';
import { planBundle, type BundlePlan } from './exportPlan.js';
import { renderReadme } from './exportReadme.js';

export interface ExportBundleOptions {
  /** Export this training run's settings and split; else a fresh split with `config` (as `voxlab train`). */
  readonly runId?: string;
  /** Training settings over the defaults (ignored with runId). */
  readonly config?: TrainConfigInput;
  /** 'copy' (default): the images are copied into data/images; 'link': symbolic links to the study's files. */
  readonly images?: ImageMode;
  /** Also the study's image ids, PatientIDs and DICOM UIDs in the datalist (default: pseudonyms only). */
  readonly withPhi?: boolean;
  readonly signal?: AbortSignal;
}

export interface ExportBundleResult {
  /** Absolute path of the bundle. */
  readonly dir: string;
  readonly plan: BundlePlan;
  /** Every exported image: study id → file under data/ and its datalist part. */
  readonly cases: readonly ExportedCase[];
}

/** The Python scripts copied into the bundle's scripts/ folder. */
const SCRIPTS = ['__init__.py', 'voxlab_train.py', 'voxlab_infer.py'] as const;

/**
 * Writes the bundle for `study` into `outDir` (created; it must not exist or be empty): configs/ (train,
 * multi_gpu_train, inference, metadata, datalist, logging.conf), scripts/, docs/README.md and data/images/.
 * Throws ALREADY_EXISTS (outDir holds files), NOT_FOUND (no such run; templates missing from the install),
 * BAD_ARGUMENT, IO_ERROR, and what planBundle throws (TRAIN_CONFIG_INVALID, TRAIN_DATA_INVALID, CANCELLED).
 */
export async function exportBundle(
  study: Study,
  outDir: string,
  options: ExportBundleOptions = {},
): Promise<ExportBundleResult> {
  const dir = path.resolve(outDir);
  const mode = options.images ?? 'copy';
  if (mode !== 'copy' && mode !== 'link')
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `exportBundle: images must be 'copy' or 'link', got '${String(mode)}'`,
    );
  if (existsSync(dir) && (!statSync(dir).isDirectory() || readdirSync(dir).length > 0))
    throw new VoxlabError('ALREADY_EXISTS', `${dir} exists and is not an empty folder: pick a new one`, {
      path: dir,
    });
  const templates = templatesDir();
  const plan = await planBundle(study, {
    ...(options.runId !== undefined ? { runId: options.runId } : {}),
    ...(options.config !== undefined ? { config: options.config } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  });
  const { cases, datalist } = buildBundleDatalist(study, plan, options.withPhi === true);
  const exportedAt = new Date().toISOString();
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  const files: Record<string, string> = {
    'configs/train.json': json(trainConfig(plan)),
    'configs/multi_gpu_train.json': json(multiGpuTrainConfig()),
    'configs/inference.json': json(inferenceConfig(plan)),
    'configs/metadata.json': json(metadata(plan, exportedAt)),
    [BUNDLE_PATHS.datalist]: json(datalist),
    'docs/README.md': renderReadme(await readFile(path.join(templates, 'docs', 'README.md'), 'utf8'), plan, {
      exportedAt,
      images: mode,
      withPhi: options.withPhi === true,
    }),
  };
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  await copyFile(path.join(templates, 'configs', 'logging.conf'), path.join(dir, 'configs', 'logging.conf'));
  await mkdir(path.join(dir, 'scripts'), { recursive: true });
  for (const name of SCRIPTS)
    await copyFile(path.join(templates, 'scripts', name), path.join(dir, 'scripts', name));
  await writeCaseFiles(plan, cases, path.join(dir, BUNDLE_PATHS.data), mode);
  return { dir, plan, cases };
}

/**
 * templates/ beside this module (when the build copies it into dist/) or in the source tree
 * (dist/core/bundle → core/bundle/templates). Throws NOT_FOUND when neither holds the scripts.
 */
export function templatesDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, 'templates'), path.resolve(here, '../../../core/bundle/templates')];
  const found = candidates.find((d) => existsSync(path.join(d, 'scripts', 'voxlab_train.py')));
  if (found === undefined)
    throw new VoxlabError(
      'NOT_FOUND',
      `The bundle templates are missing from this install (looked in ${candidates.join(', ')})`,
    );
  return found;
}
