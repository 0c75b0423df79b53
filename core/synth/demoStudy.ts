// The bundled demo study: a synthetic cohort (generateCohort) imported into a study, two thirds labeled
// and the rest left for the user to label, so the whole loop can be tried without real data.

import { existsSync, promises as fsp, readFileSync } from 'node:fs';
import path from 'node:path';
import { homedir } from 'node:os';
import { STUDY_DB_FILE, importFolder, openStudy } from '../datastore/index.js';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { generateCohort } from './generateCohort.js';

/**
 * Demo cohort size, seed and grid: IXI-like 2 mm voxels; 120 subjects (80 labeled) because the small
 * DenseNet at a 64^3 input learns the lesion from 80 labeled scans in 30 epochs (held-out accuracy 0.975,
 * `npm run bench -- pointing` on this grid) and not from 40 (0.75); 175 MB, 1-3 minutes to build on 2 cores.
 * `version` names the demo's make-up: 2 is issue #16's shortcut-free cohort (distractors, gain, no class
 * cue in the image maximum), 3 the same with tube-shaped lesion-like distractors (only the lesion is a
 * ball), 4 the same with 120 subjects instead of 24; a demo study of an older version is set aside and
 * rebuilt.
 */
export const DEMO = {
  n: 120,
  seed: 2026,
  shape: [120, 120, 90] as const,
  labeledFraction: 2 / 3,
  version: 4,
} as const;

/** File beside the study (`home/demo-study.version`) holding the DEMO.version it was built with. */
export const DEMO_VERSION_FILE = 'demo-study.version';

/** The version recorded beside the demo study: 1 when the file is missing (studies made before it). */
function builtVersion(home: string): number {
  const file = path.join(home, DEMO_VERSION_FILE);
  if (!existsSync(file)) return 1;
  const v = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(v) && v > 0 ? v : 1;
}

/** voxlab's data folder: $VOXLAB_HOME, else $XDG_DATA_HOME/voxlab, else ~/.local/share/voxlab. */
export function voxlabHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.VOXLAB_HOME) return path.resolve(env.VOXLAB_HOME);
  return path.join(
    env.XDG_DATA_HOME ? path.resolve(env.XDG_DATA_HOME) : path.join(homedir(), '.local', 'share'),
    'voxlab',
  );
}

export interface DemoStudy {
  /** The study folder. */
  readonly dir: string;
  /** false when it already existed and was reused. */
  readonly created: boolean;
  /** Where an outdated demo study (older DEMO.version) was moved before the rebuild, with its labels. */
  readonly setAside?: string;
}

/**
 * Creates the demo study under `home` once (`home/demo-study`, its source cohort's manifest and labels CSV
 * in `home/demo-cohort`, the images only in the study,
 * its DEMO.version in `home/demo-study.version`) and returns it; later calls reuse it. A demo study built
 * by an older DEMO.version (no version file: 1) is moved to `home/demo-study.v<old>-<time>` (labels the
 * user added stay there) and rebuilt. Labels use the class names ('control', 'lesion'); the last third
 * of the subjects is imported unlabeled. Progress covers generation then import.
 */
export async function ensureDemoStudy(
  home: string,
  onProgress?: (done: number, total: number, note: string) => void,
  /** Smaller cohorts for tests; the demo itself always uses DEMO. */
  cohort: { readonly n?: number; readonly shape?: readonly [number, number, number] } = {},
): Promise<DemoStudy> {
  const n = cohort.n ?? DEMO.n;
  const dir = path.join(home, 'demo-study');
  let setAside: string | undefined;
  if (existsSync(path.join(dir, STUDY_DB_FILE))) {
    const old = builtVersion(home);
    if (old >= DEMO.version) return { dir, created: false };
    setAside = `${dir}.v${old}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await fsp.rename(dir, setAside);
  }
  const cohortDir = path.join(home, 'demo-cohort');
  // A cohort of an older generator may be there: start clean so no stale file is imported.
  await fsp.rm(cohortDir, { recursive: true, force: true });
  const manifest = await generateCohort(cohortDir, {
    n,
    seed: DEMO.seed,
    shape: cohort.shape ?? DEMO.shape,
    onProgress: (p) => onProgress?.(p.done, n * 2, `generating ${p.subject}`),
  });
  const labeled = Math.round(n * DEMO.labeledFraction);
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
      onProgress: (p) => onProgress?.(n + p.done, n * 2, 'importing'),
    });
  } finally {
    study.close();
  }
  await fsp.rename(building, dir);
  // The study holds copies of the images; the cohort keeps its manifest and labels (what the scans hold).
  await fsp.rm(path.join(cohortDir, 'images'), { recursive: true, force: true });
  await writeFileAtomic(path.join(home, DEMO_VERSION_FILE), `${DEMO.version}\n`);
  return { dir, created: true, ...(setAside ? { setAside } : {}) };
}
