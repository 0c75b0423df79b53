// One real round trip (issue #14), where this machine has PyTorch and MONAI (Debian's python3-torch and the
// vendored MONAI 1.3.2 on PYTHONPATH): a tiny study is exported as a bundle, trained for one epoch by
// `python -m monai.bundle run` through runBundle, and the recorded model resolves for inference.

import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MONAI_PYTHON, monaiPythonEnv, monaiPythonUnavailable } from '../model/testing/vendoredMonai.js';
import { resolveStudyModel } from '../server/service/studyModels.js';
import { TINY_CONFIG, tempFolders, tinyStudy, writeTinyCohort } from '../train/testing/tinyStudy.js';
import { exportBundle } from './exportBundle.js';
import { runBundle } from './run.js';

const ENV = monaiPythonEnv({ OMP_NUM_THREADS: '1', CUDA_VISIBLE_DEVICES: '' });
const temp = tempFolders();
afterAll(() => temp.cleanup());

/** True when Debian's python3 imports torch, MONAI and nibabel. */
const realPython = async (): Promise<boolean> => monaiPythonUnavailable(['torch', 'monai', 'nibabel']) === null;

describe('runBundle with real PyTorch and MONAI', () => {
  it('trains an exported bundle for one epoch and records a model that resolves for inference', async (ctx) => {
    if (!(await realPython())) ctx.skip();
    const cohort = await writeTinyCohort(temp.make('voxlab-bundle-cohort-'), 6);
    const studyDir = path.join(temp.make('voxlab-bundle-run-'), 'study');
    const study = await tinyStudy(cohort, studyDir);
    try {
      const epochs: number[] = [];
      const r = await runBundle(study, {
        runId: 'monai-real',
        bundleDir: path.join(study.dir, 'bundles', 'monai-real'),
        exportBundle: (s, dir) => exportBundle(s, dir, { config: { ...TINY_CONFIG, epochs: 1, valInterval: 1 } }),
        python: MONAI_PYTHON,
        env: ENV,
        pollMs: 200,
        onEpoch: (e) => epochs.push(e.epoch),
      });
      expect(epochs).toEqual([1]);
      expect(r.model).toMatchObject({ id: 'monai-real', backend: 'monai-torch-cpu', config: { engine: 'monai', inputSize: 16 } });
      const resolved = await resolveStudyModel(study, 'monai-real');
      expect(resolved.classes).toEqual(r.start?.classes);
      expect(resolved.inputSize).toEqual([16, 16, 16]);
    } finally {
      study.close();
    }
  }, 240_000);
});
