// `voxlab synth` through the built CLI: the lesion's contrast is chosen with --polarity and recorded per
// subject in cohort.json (issue #16); a wrong value is refused in words.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { makeTempDirs } from '../../datastore/testing/fixtures.js';
import { runVoxlab } from '../testing/runVoxlab.js';

const temp = makeTempDirs();
afterAll(() => temp.cleanup());

it('writes dark lesions with --polarity dark and records each one in cohort.json', async () => {
  const out = path.join(temp.make('voxlab-synth-'), 'cohort');
  const run = await runVoxlab(['synth', out, '--n', '4', '--seed', '3', '--shape', '24,24,20', '--polarity', 'dark']);
  expect(run.code, run.stderr).toBe(0);
  const manifest = JSON.parse(readFileSync(path.join(out, 'cohort.json'), 'utf8')) as {
    subjects: { label: number; planted: { polarity: string; present?: boolean } }[];
  };
  const lesions = manifest.subjects.filter((s) => s.label === 1);
  expect(lesions.length).toBeGreaterThan(0);
  expect(lesions.map((s) => s.planted.polarity)).toEqual(lesions.map(() => 'dark'));
}, 60_000);

it('refuses an unknown --polarity in words', async () => {
  const out = path.join(temp.make('voxlab-synth-'), 'cohort');
  const run = await runVoxlab(['synth', out, '--n', '2', '--polarity', 'grey']);
  expect(run.code).not.toBe(0);
  expect(run.stderr).toMatch(/--polarity must be bright, dark, mixed, got 'grey'/);
});
