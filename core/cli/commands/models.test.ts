// `voxlab models import` through the built CLI: a PyTorch checkpoint goes into a study and is then an
// ordinary model there (models.list shows it with its classes; it infers); a hostile .pt is refused in words.

import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStudy } from '../../datastore/index.js';
import { makeTempDirs, studyWithImages } from '../../datastore/testing/fixtures.js';
import { ptFromSafetensors } from '../../io/pytorch/testing/ptFromSafetensors.js';
import { PickleWriter, torchSaveBytes } from '../../io/pytorch/torchSaveBytes.js';
import { referenceBytes } from '../../model/testing/backends.js';
import { LOCAL_CALLER } from '../../server/callers.js';
import { createService } from '../../server/service/index.js';
import { runVoxlab } from '../testing/runVoxlab.js';

const temp = makeTempDirs();
afterAll(() => temp.cleanup());

describe('voxlab models import', () => {
  it('imports a .pt into a study; models.list then shows it with its classes', async () => {
    const root = temp.make('voxlab-models-');
    (await studyWithImages(root, ['a'], [2, 2, 2])).close();
    const study = path.join(root, 'study');
    const file = path.join(root, 'monai_tiny.pt');
    writeFileSync(file, ptFromSafetensors(referenceBytes('densenet_tiny.safetensors')));
    const run = await runVoxlab(['models', 'import', file, '--study', study, '--classes', 'healthy,lesion', '--input-size', '32', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ id: 'monai_tiny', format: 'safetensors', config: { format: 'pytorch' } });
    const s = openStudy(study);
    const service = createService(s, { version: '0.0.0-test' });
    try {
      const listed = (await service.handlers['models.list']({}, undefined, LOCAL_CALLER)).find((m) => m.id === 'monai_tiny');
      expect(listed).toMatchObject({ format: 'safetensors', config: { classes: ['healthy', 'lesion'], inputSize: 32, imported: true } });
    } finally {
      await service.close();
      s.close();
    }
    // The same id again is refused.
    const again = await runVoxlab(['models', 'import', file, '--study', study]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/already has a model "monai_tiny"/);
  });

  it('refuses a .pt that asks to run code, naming what it asked for', async () => {
    const root = temp.make('voxlab-models-evil-');
    (await studyWithImages(root, ['a'], [2, 2, 2])).close();
    const file = path.join(root, 'model.pt');
    const marker = path.join(root, 'pwned');
    writeFileSync(file, torchSaveBytes([], { pickle: new PickleWriter().proto().global('posix', 'system').str(`touch ${marker}`).raw(0x85).reduce().stop() }));
    const run = await runVoxlab(['models', 'import', file, '--study', path.join(root, 'study')]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/model\.pt is not a plain PyTorch state_dict: it asks to run posix\.system, which voxlab refuses to do/);
    expect(existsSync(marker)).toBe(false);
  });
});
