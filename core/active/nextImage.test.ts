import { afterAll, describe, expect, it } from 'vitest';
import { createStudy } from '../datastore/openStudy.js';
import type { ImageRecord, ImageStatus } from '../datastore/images.js';
import type { PredictionRecord } from '../datastore/predictions.js';
import { makeTempDirs, tinyNiftiBytes } from '../datastore/testing/fixtures.js';
import { linearClassifier } from '../explain/testing/analyticClassifiers.js';
import { predictionEntropy, softmax } from './entropy.js';
import { nextImage, type ActiveStudy } from './nextImage.js';
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

const SHAPE = [1, 4, 4, 4] as const;

/** A study stand-in: images with a status and optional stored probabilities. */
function fakeStudy(images: [string, ImageStatus, number[]?][]): ActiveStudy {
  return {
    listImages: () =>
      images.map(([id, status]) => ({ id, status, path: `/nowhere/${id}.nii` }) as unknown as ImageRecord),
    getPrediction: (id) => {
      const p = images.find(([i]) => i === id)?.[2];
      return p === undefined
        ? null
        : ({ probabilities: p, classes: ['a', 'b'] } as unknown as PredictionRecord);
    },
  };
}

const STUDY = fakeStudy([
  ['a', 'labeled', [0.5, 0.5]],
  ['b', 'unlabeled'],
  ['c', 'predicted', [0.6, 0.4]],
  ['d', 'unlabeled', [0.9, 0.1]],
]);

/** Classifier logits [x[0], 0]: entropy is highest where the first voxel is near 0. */
const firstVoxel = () => {
  const w = new Float32Array(64);
  w[0] = 1;
  return linearClassifier(SHAPE, [w, new Float32Array(64)]);
};

/** Inputs by image id: the first voxel set to `values[id]`. */
const inputs = (values: Record<string, number>) => (image: ImageRecord) => {
  const x = new Float32Array(64);
  x[0] = values[image.id]!;
  return Promise.resolve(x);
};

describe('nextImage', () => {
  it("'first' names the first image without a human label, in study order", async () => {
    const r = await nextImage(STUDY, undefined, 'first');
    expect(r).toMatchObject({ strategy: 'first', id: 'b', score: null });
    expect(r.ranking.map((x) => x.id)).toEqual(['b', 'c', 'd']);
  });

  it("'random' is a seeded permutation of the candidates", async () => {
    const one = await nextImage(STUDY, undefined, 'random', { seed: 42 });
    const again = await nextImage(STUDY, undefined, 'random', { seed: 42 });
    expect(again.ranking).toEqual(one.ranking);
    expect(one.ranking.map((x) => x.id).sort()).toEqual(['b', 'c', 'd']);
    const firsts = new Set<string | null>();
    for (let seed = 0; seed < 20; seed++)
      firsts.add((await nextImage(STUDY, undefined, 'random', { seed })).id);
    expect(firsts.size).toBeGreaterThan(1);
  });

  it("'entropy' with a classifier ranks the most uncertain prediction first", async () => {
    const r = await nextImage(STUDY, firstVoxel(), 'entropy', { loadInput: inputs({ b: 5, c: 0.1, d: -2 }) });
    expect(r.ranking.map((x) => x.id)).toEqual(['c', 'd', 'b']);
    expect(r.id).toBe('c');
    expect(r.score).toBeCloseTo(predictionEntropy(Array.from(softmax([0.1, 0]))), 6);
    expect(r.ranking[0]!.probabilities![0]).toBeCloseTo(softmax([0.1, 0])[0]!, 6);
  });

  it("'entropy' without a classifier uses stored predictions; images without one rank last", async () => {
    const r = await nextImage(STUDY, undefined, 'entropy');
    expect(r.ranking).toEqual([
      { id: 'c', score: predictionEntropy([0.6, 0.4]), probabilities: [0.6, 0.4] },
      { id: 'd', score: predictionEntropy([0.9, 0.1]), probabilities: [0.9, 0.1] },
      { id: 'b', score: null },
    ]);
  });

  it("'tta' ranks the image whose views disagree most first", async () => {
    const w = new Float32Array(64);
    w[0] = 10;
    const classifier = linearClassifier(SHAPE, [w, new Float32Array(64)]);
    const volumes: Record<string, Float32Array> = {
      b: new Float32Array(64).fill(0.1),
      c: new Float32Array(64),
      d: new Float32Array(64),
    };
    volumes.c![0] = 1; // a bright corner the classifier sees only in the identity view
    volumes.d![0] = 0.2;
    const r = await nextImage(STUDY, classifier, 'tta', {
      loadInput: (image) => Promise.resolve(volumes[image.id]!),
    });
    expect(r.ranking.map((x) => x.id)).toEqual(['c', 'd', 'b']);
    expect(r.ranking[2]!.score).toBeLessThan(1e-12);
    expect(classifier.calls).toEqual([7, 7, 7]);
  });

  it('reports progress and stops with CANCELLED between images', async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const run = nextImage(STUDY, firstVoxel(), 'entropy', {
      loadInput: inputs({ b: 1, c: 2, d: 3 }),
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(`${p.done}/${p.total} ${p.imageId}`);
        controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(seen).toEqual(['1/3 b']);
  });

  it('returns no image when every image is labeled', async () => {
    const r = await nextImage(fakeStudy([['a', 'labeled']]), undefined, 'entropy');
    expect(r).toEqual({ strategy: 'entropy', id: null, score: null, ranking: [] });
  });

  it.each([
    ['an unknown strategy', 'margin', undefined],
    ["'tta' without a classifier", 'tta', undefined],
  ])('rejects %s with BAD_ARGUMENT', async (_name, strategy, classifier) => {
    await expect(nextImage(STUDY, classifier, strategy as 'tta')).rejects.toMatchObject({
      code: 'BAD_ARGUMENT',
    });
  });

  it("rejects 'entropy' with neither a classifier nor stored predictions", async () => {
    await expect(nextImage(fakeStudy([['x', 'unlabeled']]), undefined, 'entropy')).rejects.toMatchObject({
      code: 'BAD_ARGUMENT',
    });
  });
});

describe('nextImage on a real study with the default loader (seed preprocessing)', () => {
  const temp = makeTempDirs();
  afterAll(() => temp.cleanup());

  it('reads, preprocesses and scores each unlabeled image', async () => {
    const root = temp.make();
    const study = createStudy(path.join(root, 'study'), { name: 'active test' });
    mkdirSync(path.join(root, 'src'));
    // 8^3 uint8 images; after ScaleIntensity -> Resize to 4^3, voxel 0 holds the min-max scaled corner mean.
    for (const [id, corner] of [
      ['bright', 255],
      ['dim', 0],
      ['labeled', 255],
    ] as const) {
      const data = new Uint8Array(512).fill(100);
      data[0] = corner;
      data[511] = corner === 0 ? 255 : 0;
      const file = path.join(root, 'src', `${id}.nii`);
      writeFileSync(file, tinyNiftiBytes([8, 8, 8], 0, data));
      await study.addImage(file, { copy: false });
    }
    study.setClassLabel('labeled', 'male', { author: 'test' });
    const r = await nextImage(study, firstVoxel(), 'entropy');
    study.close();
    // 'dim': corner 0 -> x[0] small -> logits near [0, 0] -> the most uncertain.
    expect(r.ranking.map((x) => x.id)).toEqual(['dim', 'bright']);
    expect(r.score).toBeGreaterThan(0.6);
  });
});
