import { beforeAll, describe, expect, it } from 'vitest';
import { openModelClassifier } from '../../infer/OrtClassifier.js';
import { initialStateDict } from '../../infer/stateDict.js';
import { modelInput } from '../../infer/modelInput.js';
import { useBackend } from '../../model/testing/backends.js';
import { explainScan } from '../explainScan.js';
import { chooseOcclusionEngine } from '../incremental/chooseEngine.js';
import { cascadingRandomization, randomizedState } from './cascade.js';
import { cascadeGroups } from './layerGroups.js';
import { networkMaps } from './networkMaps.js';
import { sanityCheck } from './sanityCheck.js';
import { tinyResolvedModel, tinyScan } from '../testing/tinyDenseNet.js';

beforeAll(() => useBackend('cpu'));

describe('randomizedState', () => {
  it("replaces exactly the groups' keys with a fresh model's values, the same values whichever groups go", () => {
    const { network } = tinyResolvedModel();
    const { description, state } = network;
    const fresh = initialStateDict(description, 7);
    const [top, second] = cascadeGroups(description);
    const one = randomizedState(description, state, new Set(top!.keys), 7);
    const two = randomizedState(description, state, new Set([...top!.keys, ...second!.keys]), 7);
    for (const [key, trained] of state) {
      const inTop = top!.keys.includes(key);
      const inSecond = second!.keys.includes(key);
      expect(one.get(key), key).toEqual(inTop ? fresh.get(key) : trained);
      expect(two.get(key), key).toEqual(inTop || inSecond ? fresh.get(key) : trained);
    }
  });
});

describe('cascadingRandomization (Grad-CAM, tiny DenseNet)', () => {
  const model = tinyResolvedModel();
  const scan = tinyScan();
  const maps = networkMaps(model, scan, { method: 'gradcam', classIndex: 1 });

  it('reports one step per group, top first, and the map changes by the last step', async () => {
    const reference = await maps.mapOf(model.network.state);
    const lines: string[] = [];
    const fractions: (number | null)[] = [];
    const report = await sanityCheck({
      kind: 'cascade',
      network: model.network,
      maps,
      reference,
      onProgress: (l, f) => {
        lines.push(l);
        fractions.push(f);
      },
    });
    const steps = report.cascade!;
    expect(steps.map((s) => s.layer)).toEqual(cascadeGroups(model.network.description).map((g) => g.name));
    expect(steps.at(-1)!.randomized).toHaveLength(steps.length);
    expect(lines[0]).toBe('sanity cascade 1/5: randomizing class_layers');
    // Progress for the app's bar: the share of the steps begun before each one, rising.
    expect(fractions).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
    for (const s of steps) {
      expect(s.spearman).toBeGreaterThanOrEqual(-1);
      expect(s.spearman).toBeLessThanOrEqual(1);
      expect(s.ssim).toBeLessThanOrEqual(1 + 1e-9);
    }
    // Every weight fresh from another seed: the Grad-CAM map keeps little of the trained one's ranking.
    expect(steps.at(-1)!.spearman).toBeLessThan(0.5);
    expect(report.verdict).toBe('passed');
    expect(report.lastSpearman).toBe(steps.at(-1)!.spearman);
  });

  it('fails a "map" that is the image itself: it does not change with the weights', async () => {
    const image = modelInput(scan, [1, 16, 16, 16], 'seed');
    const imageMaps = { ...maps, mapOf: () => Promise.resolve(image) };
    const steps = await cascadingRandomization(model.network, image, maps.shape, imageMaps.mapOf);
    expect(steps.every((s) => s.spearman === 1 && Math.abs(s.ssim - 1) < 1e-9)).toBe(true);
    const report = await sanityCheck({
      kind: 'cascade',
      network: model.network,
      maps: imageMaps,
      reference: image,
    });
    expect(report.verdict).toBe('failed');
    expect(report.words).toMatch(/shows the image more than the model's reasoning/);
  });

  it('refuses the data check without a way to retrain, in words', async () => {
    await expect(
      sanityCheck({ kind: 'data', network: model.network, maps, reference: new Float32Array(16 ** 3) }),
    ).rejects.toThrow(/needs a model trained in the study/);
  });
});

describe('networkMaps (occlusion)', () => {
  it('the trained weights give the same map as the model resolved, through the same engine; a cascade step differs', async () => {
    const model = tinyResolvedModel();
    const maps = networkMaps(model, tinyScan(), {
      method: 'occlusion',
      classIndex: 1,
      occlusion: { maskSize: 8, overlap: 0.5, bBox: [-1, -1, 6, 7, -1, -1] },
      provider: 'cpu',
    });
    // One slice (axis 1, index 6): the comparison is cut to it.
    expect(maps.shape).toEqual([16, 1, 16]);
    const a = await maps.mapOf(model.network.state);
    expect(a).toHaveLength(16 * 16);
    // What `voxlab explain` computes for the map itself: the model's classifier and engine choice.
    const classifier = await openModelClassifier(model, { provider: 'cpu' });
    try {
      const { engine } = chooseOcclusionEngine(model, 'auto', { provider: 'cpu' });
      const { inputMap } = await explainScan(tinyScan(), {
        method: 'occlusion',
        classifier,
        classIndex: 1,
        occlusion: { maskSize: 8, overlap: 0.5, bBox: [-1, -1, 6, 7, -1, -1], engine: engine! },
      });
      expect(maps.crop(inputMap.data)).toEqual(a);
    } finally {
      await classifier.dispose();
    }
    const steps = await cascadingRandomization(model.network, a, maps.shape, (s) => maps.mapOf(s), {
      steps: 2,
    });
    expect(steps.map((s) => s.layer)).toEqual(['class_layers', 'features.denseblock2']);
    expect(steps[1]!.spearman).toBeLessThan(0.999);
  });
});
