// Heatmaps stored in the study: written as float32 NIfTI on the scan's grid under maps/<image>/, listed
// newest first, still there after the study is closed and opened again; wrong grids and unknown images are
// refused without leaving files behind. Also segment names and colours (segments.ts).

import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Affine } from '../common/spaces.js';
import { readNifti } from '../io/readNifti.js';
import type { ExplanationInput } from './explanations.js';
import { openStudy } from './openStudy.js';
import type { Study } from './Study.js';
import { makeTempDirs, studyWithImages } from './testing/fixtures.js';

const tmp = makeTempDirs();
let study: Study;
beforeEach(async () => {
  study = await studyWithImages(tmp.make(), ['a', 'b']);
});
afterEach(() => {
  study.close();
  tmp.cleanup();
});

const AFFINE: Affine = [2, 0, 0, -4, 0, 2, 0, -5, 0, 0, 2, -6, 0, 0, 0, 1] as unknown as Affine;

function mapOf(imageId: string, shape: [number, number, number] = [4, 5, 6], scale = 1): ExplanationInput {
  const data = Float32Array.from({ length: shape[0] * shape[1] * shape[2] }, (_, v) => (v % 17) * scale - 3);
  return {
    imageId,
    modelId: 'run-1',
    method: 'occlusion',
    classIndex: 1,
    className: 'lesion',
    predictedClass: 'control',
    params: { maskSize: 16, nBatch: 16, overlap: 0.25, mode: 'gaussian' },
    source: 'app',
    map: { shape, data, affine: AFFINE },
    durationMs: 1234.5,
  };
}

describe('stored heatmaps', () => {
  it('writes the map on the scan grid, lists it, and reads it back after reopening the study', async () => {
    const input = mapOf('a');
    const stored = await study.recordExplanation(input);
    expect(stored.id).toMatch(/^m\d{8}T\d{9}Z-[0-9a-f]{6}$/);
    expect(stored.storedPath).toBe(`maps/a/${stored.id}.nii.gz`);
    expect(stored).toMatchObject({ imageId: 'a', method: 'occlusion', classIndex: 1, className: 'lesion', predictedClass: 'control', source: 'app', min: -3, max: 13, durationMs: 1234.5, shape: [4, 5, 6] });
    const dir = study.dir;
    study.close();
    study = openStudy(dir);
    const [listed] = study.listExplanations('a');
    expect(listed).toEqual(stored);
    expect(study.getExplanation(stored.id)).toEqual(stored);
    const back = await readNifti(study.getExplanation(stored.id).path);
    expect(back.shape).toEqual([4, 5, 6]);
    expect(Array.from(back.data)).toEqual(Array.from(input.map.data));
    expect(back.affine.map((v) => Math.round(v * 1000) / 1000)).toEqual([...AFFINE]);
    expect(study.listExplanations('b')).toEqual([]);
  });

  it('lists newest first, per image', async () => {
    const first = await study.recordExplanation(mapOf('a'));
    const second = await study.recordExplanation({ ...mapOf('a', [4, 5, 6], 2), method: 'gradcam', source: 'cli' });
    await study.recordExplanation(mapOf('b'));
    expect(study.listExplanations('a').map((m) => [m.id, m.method, m.source, m.max])).toEqual([
      [second.id, 'gradcam', 'cli', 29],
      [first.id, 'occlusion', 'app', 13],
    ]);
  });

  it.each([
    ['a map on another grid', () => mapOf('a', [4, 5, 7]), 'SHAPE_MISMATCH'],
    ['an unknown image', () => mapOf('zz'), 'NOT_FOUND'],
    ['an unknown method', () => ({ ...mapOf('a'), method: 'lime' as 'gradcam' }), 'BAD_ARGUMENT'],
    ['a negative class index', () => ({ ...mapOf('a'), classIndex: -1 }), 'BAD_ARGUMENT'],
  ])('refuses %s and writes no file', async (_what, make, code) => {
    await expect(study.recordExplanation(make())).rejects.toMatchObject({ code });
    const maps = path.join(study.dir, 'maps');
    const files = existsSync(maps) ? readdirSync(maps, { recursive: true }).filter((f) => String(f).endsWith('.gz')) : [];
    expect(files).toEqual([]);
  });

  it('says NOT_FOUND for an unknown map id', () => {
    expect(() => study.getExplanation('m-nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});

describe('segments', () => {
  it('names and recolours labelmap values, listed by value', () => {
    expect(study.listSegments()).toEqual([]);
    study.setSegment({ value: 2, name: 'oedema', colour: '#00FF00', author: 'ana' });
    study.setSegment({ value: 1, name: 'lesion', colour: '#ff0000', author: 'ana' });
    expect(study.setSegment({ value: 2, name: 'edema', colour: '#0000ff', author: 'ben' })).toMatchObject({ value: 2, name: 'edema', colour: '#0000ff', updatedBy: 'ben' });
    expect(study.listSegments().map((s) => [s.value, s.name, s.colour])).toEqual([
      [1, 'lesion', '#ff0000'],
      [2, 'edema', '#0000ff'],
    ]);
  });

  it.each([
    [{ value: 0 }, /1\.\.255/],
    [{ value: 256 }, /1\.\.255/],
    [{ value: 1.5 }, /1\.\.255/],
    [{ name: '' }, /must not be empty/],
    [{ colour: 'green' }, /#rrggbb/],
    [{ author: ' ' }, /author/],
  ])('refuses %j', (fields, message) => {
    const e = (() => {
      try {
        study.setSegment({ value: 1, name: 'lesion', colour: '#ff0000', author: 'ana', ...fields });
      } catch (err) {
        return err as { code: string; message: string };
      }
      throw new Error('expected an error');
    })();
    expect(e.code).toBe('BAD_ARGUMENT');
    expect(e.message).toMatch(message);
    expect(study.listSegments()).toEqual([]);
  });
});
