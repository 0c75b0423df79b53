// Test helper: real MONAI for the tests that need it (the float64 gradient reference, PyTorch checkpoints,
// exported bundles): Debian's python3 with python3-torch, and MONAI 1.3.2 from shared/vendor on PYTHONPATH
// (../shared/vendor/README.md). The product never needs either.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SHARED =
  process.env.VOXLAB_SHARED !== undefined && process.env.VOXLAB_SHARED !== ''
    ? process.env.VOXLAB_SHARED
    : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared');

/** The vendored MONAI package's folder (what goes on PYTHONPATH). */
export const VENDORED_MONAI = path.join(SHARED, 'vendor', 'monai-1.3.2');

/** Debian's python3 (its python3-torch); pyenv's or a venv's may lack torch. */
export const MONAI_PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** This process's environment with the vendored MONAI on PYTHONPATH, Python's warnings off, plus `extra`. */
export function monaiPythonEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, PYTHONPATH: VENDORED_MONAI, PYTHONWARNINGS: 'ignore', ...extra };
}

/** Why MONAI_PYTHON cannot import `modules` (with the vendored MONAI) here, or null when it can. */
export function monaiPythonUnavailable(modules: readonly string[] = ['torch', 'monai']): string | null {
  if (!existsSync(VENDORED_MONAI)) return `MONAI 1.3.2 is not at ${VENDORED_MONAI}`;
  try {
    execFileSync(MONAI_PYTHON, ['-c', `import ${modules.join(', ')}`], {
      env: monaiPythonEnv(),
      stdio: 'pipe',
      timeout: 60_000,
    });
    return null;
  } catch {
    const packages = modules.map((m) => (m === 'monai' ? null : `python3-${m}`)).filter((p) => p !== null);
    return `${MONAI_PYTHON} cannot import ${modules.join(', ')} (apt-get install -y ${packages.join(' ')})`;
  }
}
