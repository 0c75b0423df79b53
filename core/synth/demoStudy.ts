// The bundled demo study: a synthetic cohort (generateCohort) imported into a study, two thirds labeled
// and the rest left for the user to label, so the whole loop can be tried without real data.

import { existsSync, promises as fsp } from 'node:fs';
import path from 'node:path';
import { homedir } from 'node:os';
import { STUDY_DB_FILE, importFolder, openStudy } from '../datastore/index.js';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { generateCohort } from './generateCohort.js';

/** Demo cohort size, seed and grid: small enough to generate in seconds, IXI-like 2 mm voxels. */
export const DEMO = { n: 24, seed: 2026, shape: [120, 120, 90] as const, labeledFraction: 2 / 3 } as const;

/** voxlab's data folder: $VOXLAB_HOME, else $XDG_DATA_HOME/voxlab, else ~/.local/share/voxlab. */
export function voxlabHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.VOXLAB_HOME) return path.resolve(env.VOXLAB_HOME);
  return path.join(env.XDG_DATA_HOME ? path.resolve(env.XDG_DATA_HOME) : path.join(homedir(), '.local', 'share'), 'voxlab');
}

export interface DemoStudy {
  /** The study folder. */
  readonly dir: string;
  /** false when it already existed and was reused. */
  readonly created: boolean;
}

/**
 * Creates the demo study under `home` once (`home/demo-study`, its source cohort in `home/demo-cohort`)
 * and returns it; later calls reuse it. Labels use the class names ('control', 'lesion'); the last third
 * of the subjects is imported unlabeled. Progress covers generation then import.
 */
export async function ensureDemoStudy(home: string, onProgress?: (done: number, total: number, note: string) => void): Promise<DemoStudy> {
  const dir = path.join(home, 'demo-study');
  if (existsSync(path.join(dir, STUDY_DB_FILE))) return { dir, created: false };
  const cohortDir = path.join(home, 'demo-cohort');
  const manifest = await generateCohort(cohortDir, {
    n: DEMO.n,
    seed: DEMO.seed,
    shape: DEMO.shape,
    onProgress: (p) => onProgress?.(p.done, DEMO.n * 2, `generating ${p.subject}`),
  });
  const labeled = Math.round(DEMO.n * DEMO.labeledFraction);
  const rows = manifest.subjects.map((s, n) => `${s.file},${s.subject},${n < labeled ? s.group : ''}`);
  const csv = path.join(cohortDir, 'demo-labels.csv');
  await writeFileAtomic(csv, ['file,subject,label', ...rows].join('\n') + '\n');
  // Build in a temporary folder and rename, so an interrupted first run never leaves half a study.
  const building = `${dir}.building-${process.pid}`;
  await fsp.rm(building, { recursive: true, force: true });
  const study = openStudy(building, { create: { name: 'voxlab demo (synthetic phantoms)' } });
  try {
    await importFolder(study, path.join(cohortDir, 'images'), {
      labelsCsv: csv,
      copy: true,
      author: 'demo',
      onProgress: (p) => onProgress?.(DEMO.n + p.done, DEMO.n * 2, 'importing'),
    });
  } finally {
    study.close();
  }
  await fsp.rename(building, dir);
  return { dir, created: true };
}
