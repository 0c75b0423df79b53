import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STUDY_DB_FILE, openStudy } from '../datastore/index.js';
import { DEMO, DEMO_VERSION_FILE, ensureDemoStudy } from './demoStudy.js';
import type { CohortManifest } from './generateCohort.js';

const home = mkdtempSync(path.join(tmpdir(), 'voxlab-demo-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
/** Three subjects on a 24^3 grid: the whole flow in about a second. */
const SMALL = { n: 3, shape: [24, 24, 24] } as const;

describe('ensureDemoStudy', () => {
  it('builds once, records DEMO.version, reuses it, and rebuilds a study of an older version', async () => {
    const first = await ensureDemoStudy(home, undefined, SMALL);
    expect(first.created).toBe(true);
    expect(existsSync(path.join(first.dir, STUDY_DB_FILE))).toBe(true);
    expect(readFileSync(path.join(home, DEMO_VERSION_FILE), 'utf8').trim()).toBe(String(DEMO.version));
    const manifest = JSON.parse(
      readFileSync(path.join(home, 'demo-cohort', 'cohort.json'), 'utf8'),
    ) as CohortManifest;
    expect(manifest.version).toBe(3);
    expect(manifest.options.legacyBrightLesion).toBe(false);
    expect(manifest.subjects.every((s) => s.distractors.some((d) => d.kind === 'max'))).toBe(true);
    // The images live only in the study (copies); the cohort keeps its manifest and labels CSV.
    expect(existsSync(path.join(home, 'demo-cohort', 'images'))).toBe(false);
    expect(existsSync(path.join(home, 'demo-cohort', 'demo-labels.csv'))).toBe(true);
    const study = openStudy(first.dir);
    try {
      const images = study.listImages();
      expect(images).toHaveLength(SMALL.n);
      expect(images.filter((i) => i.label !== null)).toHaveLength(Math.round(SMALL.n * DEMO.labeledFraction));
      for (const i of images) expect(existsSync(study.getImage(i.id).path)).toBe(true);
    } finally {
      study.close();
    }

    expect((await ensureDemoStudy(home, undefined, SMALL)).created).toBe(false);

    // A demo study from before the version file (issue #16's generator change) counts as version 1.
    rmSync(path.join(home, DEMO_VERSION_FILE));
    const rebuilt = await ensureDemoStudy(home, undefined, SMALL);
    expect(rebuilt.created).toBe(true);
    expect(rebuilt.setAside).toMatch(/demo-study\.v1-/);
    expect(existsSync(path.join(rebuilt.setAside!, STUDY_DB_FILE))).toBe(true);
    expect(readdirSync(home).filter((f) => f.startsWith('demo-study.v1-'))).toHaveLength(1);

    writeFileSync(path.join(home, DEMO_VERSION_FILE), `${DEMO.version + 1}\n`);
    expect((await ensureDemoStudy(home, undefined, SMALL)).created).toBe(false);
  });
});
