// The e2e study of real scans: IXI T1 volumes from ../shared/data (PSR voxel order, as IXI stores them),
// some labeled (sex, from the IXI demographics) and some not, plus the same template brain stored in RAS
// and in PSR voxel order (niivue's orientation test files) to check orientation. A tiny model is trained on
// it with the CLI so that inference and occlusion have a model.

import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './serveStudy.js';

const CLI = path.join(REPO_ROOT, 'bin', 'voxlab.js');
export const SHARED_DATA = path.resolve(REPO_ROOT, '..', 'shared', 'data');

/** Labeled IXI scans (3 per class so a stratified split has both classes), then unlabeled ones. */
export const IXI_LABELED: readonly (readonly [string, 'M' | 'F'])[] = [
  ['IXI012-HH-1211', 'M'],
  ['IXI013-HH-1212', 'M'],
  ['IXI039-HH-1261', 'M'],
  ['IXI051-HH-1328', 'F'],
  ['IXI057-HH-1342', 'F'],
  ['IXI079-HH-1388', 'F'],
];
export const IXI_UNLABELED: readonly string[] = ['IXI048-HH-1326', 'IXI049-HH-1358', 'IXI080-HH-1341'];
/** The same brain in two voxel orders (ids as the import names them). */
export const ORIENTATION_FILES = { ras: 'niivue_nifti_space_RAS', psr: 'niivue_nifti_space_PSR' } as const;
export const IXI_MODEL = 'e2e-tiny';

function run(args: readonly string[]): string {
  return execFileSync(process.execPath, [CLI, ...args], { stdio: 'pipe', encoding: 'utf8' });
}

/** Builds the study under `root` and trains the tiny model; returns the study folder. */
export function makeIxiStudy(root: string): string {
  const labeled = path.join(root, 'labeled');
  const unlabeled = path.join(root, 'unlabeled');
  const studyDir = path.join(root, 'ixi-study');
  mkdirSync(labeled, { recursive: true });
  mkdirSync(unlabeled, { recursive: true });
  const rows = ['file,sex'];
  for (const [id, sex] of IXI_LABELED) {
    copyFileSync(path.join(SHARED_DATA, 'ixi', 't1', `${id}_T1.nii.gz`), path.join(labeled, `${id}.nii.gz`));
    rows.push(`${id}.nii.gz,${sex}`);
  }
  writeFileSync(path.join(root, 'labels.csv'), rows.join('\n') + '\n');
  for (const id of IXI_UNLABELED)
    copyFileSync(path.join(SHARED_DATA, 'ixi', 't1', `${id}_T1.nii.gz`), path.join(unlabeled, `${id}.nii.gz`));
  for (const id of Object.values(ORIENTATION_FILES))
    copyFileSync(path.join(SHARED_DATA, 'edge_cases', `${id}.nii.gz`), path.join(unlabeled, `${id}.nii.gz`));
  run(['import', labeled, '--labels', path.join(root, 'labels.csv'), '--study', studyDir, '--copy']);
  run(['import', unlabeled, '--study', studyDir, '--copy']);
  run(['train', '--study', studyDir, '--model', 'tiny', '--size', '32', '--epochs', '1', '--val-fraction', '0.34', '--id', IXI_MODEL, '--seed', '1']);
  return studyDir;
}
