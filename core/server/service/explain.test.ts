// explain.run's Grad-CAM over HTTP on imported models: MONAI's ONNX export of its tiny DenseNet (weights
// read from the file's initializers, BatchNorms folded) gives the map its safetensors weights give; an ONNX
// graph that is not a recognised DenseNet fails the job in words, and occlusion still runs on it.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, httpTransport, type CoreApi, type ExplainResult } from '../../api/index.js';
import { makeTempDirs } from '../../datastore/testing/fixtures.js';
import { writeScan } from '../../infer/testing/fixtures.js';
import { withInputShape } from '../../infer/testing/onnxInputShape.js';
import { smallCnnOnnx } from '../../infer/testing/smallCnnOnnx.js';
import { referenceBytes, referenceFloat32 } from '../../model/testing/backends.js';
import { TOKEN, testServer } from '../testing/fixtures.js';

type Server = Awaited<ReturnType<typeof testServer>>;
let server: Server;
let api: CoreApi;
let imageId = '';
const temp = makeTempDirs();

beforeAll(async () => {
  server = await testServer();
  api = createClient(httpTransport({ baseUrl: server.server.url, token: TOKEN }));
  // The reference scan (MONAI's input_32): the study's own test images are constant, so is any map of them.
  const scan = path.join(temp.make('voxlab-explain-scan-'), 'scan.nii.gz');
  await writeScan(scan, [32, 32, 32], referenceFloat32('input_32.f32'));
  imageId = (await server.service.context.study.addImage(scan, { copy: false })).id;
  // MONAI's file re-declared at 64^3 (at its own 32^3 the last feature map is 1^3: a constant map).
  const onnx = withInputShape(referenceBytes('densenet_tiny.onnx'), ['batch', 1, 64, 64, 64]);
  await api.models.import({ modelId: 'monai-onnx', format: 'onnx' }, onnx);
  await api.models.import(
    { modelId: 'monai-weights', format: 'safetensors', config: { inputSize: 64 } },
    referenceBytes('densenet_tiny.safetensors'),
  );
  await api.models.import({ modelId: 'small-cnn', format: 'onnx' }, smallCnnOnnx());
}, 60_000);
afterAll(async () => {
  await server.close();
  temp.cleanup();
});

/** Runs explain.run to its end; the map's values when it finished. */
async function explain(
  modelId: string,
  method: 'gradcam' | 'gradcam++' | 'layercam' | 'occlusion',
  given?: Record<string, string>,
) {
  const params = given ?? (method === 'occlusion' ? { maskSize: 16, activation: 'none' } : undefined);
  const job = await api.explain.run({
    modelId,
    imageId,
    method,
    classIndex: 1,
    ...(params !== undefined ? { params } : {}),
  });
  const done = await api.waitForJob(job.id);
  const map =
    done.state === 'done' ? new Float32Array((await api.explain.map({ jobId: job.id })).data) : null;
  return { done, map };
}

describe('explain.run Grad-CAM on an imported ONNX model', () => {
  it.each([
    ['gradcam', 'features.transition2.relu', [8, 8, 8]],
    ['gradcam++', 'features.transition2.relu', [8, 8, 8]],
    ['layercam', 'features.transition1.relu', [16, 16, 16]],
  ] as const)(
    "runs %s on MONAI's ONNX DenseNet with the map of its safetensors weights (default layer %s)",
    async (method, layer, grid) => {
      const onnx = await explain('monai-onnx', method);
      const weights = await explain('monai-weights', method);
      expect(onnx.done.state, JSON.stringify(onnx.done.error)).toBe('done');
      expect(weights.done.state, JSON.stringify(weights.done.error)).toBe('done');
      expect(onnx.done.result).toMatchObject({ method, modelId: 'monai-onnx', classIndex: 1 });
      // Issue #16: the tfjs backend that made the map, the layer weighed (finer than class_layers.relu).
      expect((onnx.done.result as unknown as ExplainResult).params).toMatchObject({
        engine: expect.stringMatching(/^tfjs-/),
        layer,
        layerGrid: grid,
        evidence: expect.stringMatching(/positive evidence/),
      });
      const [a, b] = [onnx.map!, weights.map!];
      expect(a).toHaveLength(32 ** 3);
      let diff = 0;
      for (let i = 0; i < a.length; i++) diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
      expect(diff).toBeLessThan(1e-4);
      // Not a constant map: the comparison above could fail.
      const r = weights.done.result as unknown as ExplainResult;
      expect(r.max - r.min).toBeGreaterThan(0.1);
    },
    60_000,
  );

  it('takes params.layer, and fails an unknown layer naming the usable ones', async () => {
    const monai = await explain('monai-weights', 'gradcam', { layer: 'class_layers.relu' });
    expect(monai.done.state, JSON.stringify(monai.done.error)).toBe('done');
    expect((monai.done.result as unknown as ExplainResult).params).toMatchObject({ layerGrid: [2, 2, 2] });
    const bad = await explain('monai-weights', 'gradcam', { layer: 'features.nope' });
    expect(bad.done.state).toBe('failed');
    expect(bad.done.error).toMatchObject({
      code: 'BAD_ARGUMENT',
      message: expect.stringMatching(
        /layer 'features\.nope'.*available: .*features\.transition3\.relu \(4x4x4\)/,
      ),
    });
  }, 60_000);

  it('fails Grad-CAM on an ONNX graph that is not a recognised DenseNet in words; occlusion still runs', async () => {
    const refused = await explain('small-cnn', 'gradcam');
    expect(refused.done.state).toBe('failed');
    expect(refused.done.error).toMatchObject({
      code: 'BAD_ARGUMENT',
      message: expect.stringMatching(
        /gradcam needs gradients.*Model "small-cnn" is not one: the ONNX graph is not a MONAI DenseNet.*Occlusion/,
      ),
    });
    const occlusion = await explain('small-cnn', 'occlusion');
    expect(occlusion.done.state, JSON.stringify(occlusion.done.error)).toBe('done');
  }, 60_000);
});

describe('explain.run { sanity }', () => {
  it("runs the cascade with the same method and stores the verdict with the map: explain.list's MapSummary.sanity", async () => {
    // At its own 32^3 (a step explains the scan again: nine Grad-CAM maps at 64^3 take a minute on a busy CPU).
    await api.models.import(
      { modelId: 'monai-32', format: 'safetensors', config: { inputSize: 32 } },
      referenceBytes('densenet_tiny.safetensors'),
    );
    const job = await api.explain.run({
      modelId: 'monai-32',
      imageId,
      method: 'gradcam',
      classIndex: 1,
      sanity: 'cascade',
    });
    const done = await api.waitForJob(job.id);
    expect(done.state, JSON.stringify(done.error)).toBe('done');
    const result = done.result as unknown as ExplainResult;
    expect(result.sanity).toMatchObject({ kind: 'cascade', threshold: 0.5, dataSpearman: null });
    expect(result.sanity!.steps.map((s) => s.layer)).toEqual([
      'class_layers',
      'features.denseblock4',
      'features.transition3',
      'features.denseblock3',
      'features.transition2',
      'features.denseblock2',
      'features.transition1',
      'features.denseblock1',
      'features.conv0',
    ]);
    expect(result.sanity!.lastSpearman).toBe(result.sanity!.steps.at(-1)!.spearman);
    const listed = (await api.explain.list({ imageId })).find((m) => m.id === result.mapId)!;
    expect(listed.sanity).toEqual(result.sanity);
    // A map made without the check says so: null, shown as "not run".
    const plain = await explain('monai-32', 'gradcam');
    const plainId = (plain.done.result as unknown as ExplainResult).mapId;
    expect((await api.explain.list({ imageId })).find((m) => m.id === plainId)!.sanity).toBeNull();
  }, 120_000);

  it("fails 'data' on an imported model in words: only a model trained in the study can be retrained", async () => {
    const job = await api.explain.run({ modelId: 'monai-32', imageId, method: 'gradcam', sanity: 'data' });
    const done = await api.waitForJob(job.id);
    expect(done.state).toBe('failed');
    expect(done.error).toMatchObject({
      code: 'BAD_ARGUMENT',
      message: expect.stringMatching(
        /needs a model trained in this study; "monai-32" is a safetensors model/,
      ),
    });
  });

  it('refuses an unknown sanity kind at the contract (BAD_ARGUMENT)', async () => {
    await expect(
      api.explain.run({ modelId: 'monai-weights', imageId, method: 'gradcam', sanity: 'layers' as never }),
    ).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
  });
});
