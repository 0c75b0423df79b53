import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDirs } from '../datastore/testing/fixtures.js';
import { findPython, pythonCandidates } from './python.js';
import { writeFakePython } from './testing/fakePython.js';

const tmp = makeTempDirs();
afterEach(() => tmp.cleanup());

const VENDOR_MONAI = path.resolve('../shared/vendor/monai-1.3.2');
const DEBIAN_PYTHON = '/usr/bin/python3';

describe('finding the user\'s Python', () => {
  it.each([
    ['--python first', { python: '/opt/py', env: { VOXLAB_PYTHON: '/env/py' } }, ['/opt/py']],
    ['VOXLAB_PYTHON next', { env: { VOXLAB_PYTHON: '/env/py' } }, ['/env/py']],
    ['python3 on PATH last', { env: {} }, ['python3']],
  ])('tries %s', (_what, options, expected) => {
    expect(pythonCandidates(options)).toEqual(expected);
  });

  it('reports the versions of a Python with torch and MONAI', async () => {
    const python = await writeFakePython(tmp.make());
    const r = await findPython({ env: { ...process.env, VOXLAB_PYTHON: python } });
    expect(r).toMatchObject({ found: true, executable: python, torch: '2.1.0', monai: '1.3.2', cudaDevices: 0 });
    expect(r.detail).toBe(`${python}: Python 3.11.0, torch 2.1.0, MONAI 1.3.2, CPU only`);
  });

  it.each([
    ['without MONAI', async (dir: string) => writeFakePython(dir, { withMonai: false }), /cannot import monai \(ModuleNotFoundError.*pip install torch monai/],
    ['that does not exist', async (dir: string) => path.join(dir, 'no-python'), /no usable Python at .*no-python \(not found\)/],
  ])('says why a Python %s cannot be used and how to get one', async (_what, make, detail) => {
    const r = await findPython({ python: await make(tmp.make()) });
    expect(r.found).toBe(false);
    expect(r.detail).toMatch(detail);
  });

  // Real PyTorch + MONAI (Debian's python3-torch with the vendored MONAI), where this machine has them.
  it.runIf(existsSync(DEBIAN_PYTHON) && existsSync(VENDOR_MONAI))('finds real torch and MONAI 1.3.2', async () => {
    const r = await findPython({ python: DEBIAN_PYTHON, env: { ...process.env, PYTHONPATH: VENDOR_MONAI } });
    if (r.torch === null) return; // Debian's python3 without python3-torch: nothing to compare
    expect(r).toMatchObject({ found: true, monai: '1.3.2' });
    expect(r.torch).toMatch(/^\d+\.\d+/);
  }, 60_000);
});
