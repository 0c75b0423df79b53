import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Study } from '../datastore/index.js';
import { MODELS_FOLDER } from './checkpoint.js';
import { checkScans, labeledImages } from './dataset.js';
import { TINY_CONFIG, tempFolders, tinyStudy, writeTinyCohort } from './testing/tinyStudy.js';
import { crossValidate, train } from './train.js';

const temp = tempFolders();
let cohort = '';
const studies: Study[] = [];

async function newStudy(options: { labels?: boolean } = {}): Promise<Study> {
  const study = await tinyStudy(cohort, path.join(temp.make('voxlab-data-'), 'study'), options);
  studies.push(study);
  return study;
}

beforeAll(async () => {
  cohort = await writeTinyCohort(temp.make('voxlab-cohort-'), 6);
});

afterAll(() => {
  for (const s of studies) s.close();
  temp.cleanup();
});

/** What the study's models/ folder holds (the study creates it empty). */
const runFolders = (study: Study): string[] => {
  const dir = path.join(study.dir, MODELS_FOLDER);
  return existsSync(dir) ? readdirSync(dir) : [];
};

const invalid = (message: string) =>
  expect.objectContaining({ code: 'TRAIN_DATA_INVALID', message: expect.stringContaining(message) });

describe('labeledImages', () => {
  it('lists labeled images in id order with sorted classes', async () => {
    const study = await newStudy();
    const data = labeledImages(study);
    expect(data.classes).toEqual(['control', 'lesion']);
    expect(data.images.map((i) => i.id)).toEqual([
      'synth_000',
      'synth_001',
      'synth_002',
      'synth_003',
      'synth_004',
      'synth_005',
    ]);
    for (const i of data.images) expect(data.classes[i.classIndex]).toBe(i.label);
  });
});

describe('training refuses a study it cannot train on, before writing anything', () => {
  it.each([
    ['no labels', async () => newStudy({ labels: false }), 'has no labeled images'],
    [
      'one class only',
      async () => {
        const study = await newStudy();
        for (const img of study.listImages())
          if (img.label === 'lesion') study.setClassLabel(img.id, 'control', { author: 'test' });
        return study;
      },
      'All 6 labeled images have the class "control"',
    ],
    [
      'a class with one image',
      async () => {
        const study = await newStudy();
        const lesions = study.listImages().filter((i) => i.label === 'lesion');
        for (const img of lesions.slice(1)) study.setClassLabel(img.id, null, { author: 'test' });
        return study;
      },
      'class "lesion" has 1 labeled image(s)',
    ],
  ])('%s', async (_name, make, message) => {
    const study = await make();
    await expect(train(study, TINY_CONFIG)).rejects.toThrow(invalid(message));
    expect(runFolders(study)).toEqual([]);
  });

  it('lists every unreadable scan with its reason', async () => {
    const cohortCopy = await writeTinyCohort(temp.make('voxlab-bad-'), 6);
    const study = await tinyStudy(cohortCopy, path.join(temp.make('voxlab-data-'), 'study'));
    studies.push(study);
    const [a, b] = study.listImages();
    writeFileSync(a!.path, readFileSync(a!.path).subarray(0, 200)); // a truncated gzip stream
    writeFileSync(b!.path, 'not an image');
    const error = await train(study, TINY_CONFIG).catch((e: unknown) => e);
    expect(error).toEqual(invalid('2 of 6 labeled scans cannot be read: synth_000:'));
    expect(
      (error as { details: { problems: { imageId: string }[] } }).details.problems.map((p) => p.imageId),
    ).toEqual(['synth_000', 'synth_001']);
    expect(runFolders(study)).toEqual([]);
  });

  it('refuses more folds than a class has images, and a bad config before reading the study', async () => {
    const study = await newStudy();
    await expect(crossValidate(study, TINY_CONFIG, 4)).rejects.toThrow(invalid('Too few images for 4 folds'));
    await expect(train(study, { ...TINY_CONFIG, epochs: 0 })).rejects.toMatchObject({
      code: 'TRAIN_CONFIG_INVALID',
    });
  });

  it('checkScans stops with CANCELLED when aborted', async () => {
    const study = await newStudy();
    await expect(
      checkScans(labeledImages(study).images, { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
