// models.import of PyTorch checkpoints over HTTP: a .pt (as body, or by path inside the study) becomes an
// ordinary safetensors model that lists, infers and exports; a checkpoint that asks to run code is refused
// with WEIGHTS_INVALID and nothing is stored.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, httpTransport, type CoreApi } from '../../api/index.js';
import { ptFromSafetensors } from '../../io/pytorch/testing/ptFromSafetensors.js';
import { PickleWriter, torchSaveBytes } from '../../io/pytorch/torchSaveBytes.js';
import { openModelClassifier } from '../../infer/index.js';
import { parseSafetensors } from '../../model/safetensors.js';
import { referenceBytes, referenceFloat32 } from '../../model/testing/backends.js';
import { TOKEN, testServer } from '../testing/fixtures.js';
import { resolveStudyModel } from './studyModels.js';

type Server = Awaited<ReturnType<typeof testServer>>;
let server: Server;
let api: CoreApi;
beforeAll(async () => {
  server = await testServer();
  api = createClient(httpTransport({ baseUrl: server.server.url, token: TOKEN }));
});
afterAll(async () => {
  await server.close();
});

/** MONAI's tiny DenseNet at 32^3 on input_32 (core/model/testing reference.json). */
const TINY_LOGITS = [-0.16278867423534393, 0.03440219908952713];

describe('models.import of PyTorch checkpoints', () => {
  it('stores an uploaded .pt as safetensors that lists with its classes, infers as PyTorch did and exports', async () => {
    const pt = ptFromSafetensors(referenceBytes('densenet_tiny.safetensors'), 'module.');
    const summary = await api.models.import(
      { modelId: 'monai-pt', format: 'pytorch', classes: ['healthy', 'lesion'], config: { inputSize: 32 } },
      pt,
    );
    expect(summary).toMatchObject({ id: 'monai-pt', format: 'safetensors', config: { format: 'pytorch', imported: true } });
    const listed = (await api.models.list()).find((m) => m.id === 'monai-pt');
    expect(listed?.config).toMatchObject({ classes: ['healthy', 'lesion'] });
    const model = await resolveStudyModel(server.service.context.study, 'monai-pt');
    expect(model.classes).toEqual(['healthy', 'lesion']);
    const c = await openModelClassifier(model, { provider: 'cpu' });
    try {
      const logits = await c.predict(referenceFloat32('input_32.f32'), 1);
      expect(Math.max(...TINY_LOGITS.map((v, i) => Math.abs(v - logits[i]!)))).toBeLessThan(1e-4);
    } finally {
      await c.dispose();
    }
    const exported = await api.models.export({ modelId: 'monai-pt' });
    expect(exported.meta.format).toBe('safetensors');
    expect(parseSafetensors(new Uint8Array(exported.data)).tensors.has('features.conv0.weight')).toBe(true);
  });

  it("reads a .pt named by path inside the study, and a zip sent as 'safetensors' as the checkpoint it is", async () => {
    const file = path.join(server.dir, 'tiny.pth');
    writeFileSync(file, ptFromSafetensors(referenceBytes('densenet_tiny.safetensors')));
    expect(await api.models.import({ modelId: 'by-path', format: 'pytorch', path: 'tiny.pth' })).toMatchObject({ format: 'safetensors' });
    const sniffed = await api.models.import({ modelId: 'sniffed', format: 'safetensors' }, ptFromSafetensors(referenceBytes('densenet_tiny.safetensors')));
    expect(sniffed.config).toMatchObject({ format: 'pytorch' });
  });

  it('refuses a checkpoint that asks to run code, and stores nothing', async () => {
    const evil = torchSaveBytes([], { pickle: new PickleWriter().proto().global('posix', 'system').str('touch pwned').raw(0x85).reduce().stop() });
    const error = await api.models.import({ modelId: 'evil', format: 'pytorch' }, evil).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'WEIGHTS_INVALID' });
    expect((error as Error).message).toMatch(/the uploaded model is not a plain PyTorch state_dict: it asks to run posix\.system/);
    expect((await api.models.list()).some((m) => m.id === 'evil')).toBe(false);
  });
});
