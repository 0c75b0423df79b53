import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isVoxlabError } from '../common/errors.js';
import { readNifti } from '../io/readNifti.js';
import { writeNifti } from '../io/writeNifti.js';
import {
  generateCohort,
  type CohortManifest,
  type CohortProgress,
  type GenerateCohortOptions,
} from './generateCohort.js';
import { generatePhantom } from './generatePhantom.js';
import { centroid, sha256 } from './testUtil.js';

const root = mkdtempSync(path.join(tmpdir(), 'voxlab-synth-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** 6 subjects on a coarse grid (3.625 mm voxels): the whole file is exercised in about a second. */
const OPTIONS = { n: 6, seed: 2024, shape: [64, 64, 48] } as const;

function filesOf(dir: string, m: CohortManifest): string[] {
  return ['labels.csv', 'cohort.json', ...m.subjects.flatMap((s) => [s.file, s.mask])].map((f) =>
    path.join(dir, f),
  );
}
const hashFile = (file: string): string => sha256(readFileSync(file));

describe('generateCohort', async () => {
  const progress: CohortProgress[] = [];
  const dirA = path.join(root, 'a');
  const manifest = await generateCohort(dirA, { ...OPTIONS, onProgress: (p) => progress.push(p) });

  it('writes byte-identical files for the same seed and different images for another', async () => {
    const dirB = path.join(root, 'b');
    const again = await generateCohort(dirB, OPTIONS);
    expect(filesOf(dirB, again).map(hashFile)).toEqual(filesOf(dirA, manifest).map(hashFile));
    const dirC = path.join(root, 'c');
    const other = await generateCohort(dirC, { ...OPTIONS, seed: 2025 });
    const imagesA = manifest.subjects.map((s) => hashFile(path.join(dirA, s.file)));
    const imagesC = other.subjects.map((s) => hashFile(path.join(dirC, s.file)));
    expect(imagesC.filter((h) => imagesA.includes(h))).toEqual([]);
  });

  it('reports progress once per subject, in order', () => {
    expect(progress.map((p) => p.done)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(progress.every((p) => p.total === 6)).toBe(true);
    expect(progress.map((p) => p.subject)).toEqual(manifest.subjects.map((s) => s.subject));
  });

  it('writes labels.csv with file, subject and label columns and a balanced split', () => {
    const lines = readFileSync(path.join(dirA, 'labels.csv'), 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('file,subject,label,group,mask');
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows.map((r) => r[0])).toEqual(manifest.subjects.map((_, i) => `images/synth_00${i}.nii.gz`));
    expect(rows.filter((r) => r[2] === '1')).toHaveLength(3);
    expect(rows.every((r) => (r[2] === '1' ? 'lesion' : 'control') === r[3])).toBe(true);
    for (const r of rows)
      expect(existsSync(path.join(dirA, r[0]!)) && existsSync(path.join(dirA, r[4]!))).toBe(true);
  });

  it('writes masks that are non-empty exactly for class 1, centred where cohort.json says', async () => {
    const json = JSON.parse(readFileSync(path.join(dirA, 'cohort.json'), 'utf8')) as CohortManifest;
    expect(json).toEqual(JSON.parse(JSON.stringify(manifest)));
    expect(json.seed).toBe(2024);
    expect(json.subjects).toHaveLength(6);
    for (const s of json.subjects) {
      const mask = await readNifti(path.join(dirA, s.mask));
      expect(mask.header.datatype).toBe('uint8');
      const { ijk, count } = centroid(mask.data, mask.shape);
      expect(count > 0).toBe(s.label === 1);
      expect(s.planted.present).toBe(s.label === 1);
      if (s.label === 0) continue;
      expect(count).toBe(s.planted.voxelCount);
      for (let a = 0; a < 3; a++) expect(Math.abs(ijk[a]! - s.planted.centreVoxel[a]!)).toBeLessThan(1);
    }
  });

  it('round-trips through readNifti: same voxels and affine as generatePhantom, same bytes as writeNifti', async () => {
    for (const s of manifest.subjects.slice(0, 2)) {
      const volume = await readNifti(path.join(dirA, s.file));
      const phantom = generatePhantom({ ...manifest.options, seed: s.seed, label: s.label });
      expect(volume.header.datatype).toBe('int16');
      expect(volume.shape).toEqual([64, 64, 48]);
      expect(volume.axcodes).toBe('RAS');
      expect([...volume.affine]).toEqual([...phantom.affine]);
      expect(sha256(new Int16Array(volume.data))).toBe(sha256(phantom.image));
      const viaWriteNifti = path.join(root, `${s.subject}-writeNifti.nii.gz`);
      const description = `voxlab synth ${s.subject} ${s.group}`;
      await writeNifti(
        viaWriteNifti,
        { shape: phantom.shape, data: phantom.image, affine: phantom.affine },
        { description },
      );
      expect(hashFile(viaWriteNifti)).toBe(hashFile(path.join(dirA, s.file)));
    }
  });

  it('writes PSR files that read back with IXI axcodes', async () => {
    const dir = path.join(root, 'psr');
    const m = await generateCohort(dir, {
      n: 1,
      seed: 1,
      shape: [64, 64, 48],
      orientation: 'PSR',
      classBalance: 1,
    });
    const volume = await readNifti(path.join(dir, m.subjects[0]!.file));
    expect(volume.axcodes).toBe('PSR');
  });

  it.each([
    ['n = 0', { n: 0 }],
    ['n = -1', { n: -1 }],
    ['n = 2.5', { n: 2.5 }],
    ['a 12-voxel shape', { shape: [12, 64, 48] }],
    ['a shape too small for the head', { shape: [40, 40, 40], voxelSizeMm: 2 }],
  ])('rejects %s with BAD_ARGUMENT before writing anything', async (_name, override) => {
    const dir = path.join(root, `bad-${String(Math.random()).slice(2)}`);
    const options = { ...OPTIONS, ...override } as unknown as GenerateCohortOptions;
    const error = await generateCohort(dir, options).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isVoxlabError(error) && error.code === 'BAD_ARGUMENT').toBe(true);
    expect(existsSync(dir)).toBe(false);
  });

  it('stops with CANCELLED when the signal aborts', async () => {
    const controller = new AbortController();
    const dir = path.join(root, 'cancel');
    const run = generateCohort(dir, {
      ...OPTIONS,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    const error = await run.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isVoxlabError(error) && error.code === 'CANCELLED').toBe(true);
    expect(existsSync(path.join(dir, 'cohort.json'))).toBe(false);
  });
});
