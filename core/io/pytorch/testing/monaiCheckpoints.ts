// Test helper: MONAI DenseNet checkpoints written by real PyTorch (make_checkpoints.py beside this file),
// with MONAI 1.3.2 from shared/vendor on Debian's python3-torch, and what each must read as.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MONAI_PYTHON, monaiPythonEnv, monaiPythonUnavailable } from '../../../model/testing/vendoredMonai.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SCRIPT = path.join(HERE, 'make_checkpoints.py');
/** Why the checkpoints cannot be made here (no torch, no MONAI), or null when they can. */
export const checkpointsUnavailable = (): string | null => monaiPythonUnavailable();

/** Runs make_checkpoints.py: `presets` (densenet121, small, tiny) into `dir`; see the script for the files. */
export function makeCheckpoints(dir: string, presets: readonly string[], flags: readonly ('--variants' | '--logits')[] = []): void {
  execFileSync(MONAI_PYTHON, [SCRIPT, dir, presets.join(','), ...flags], { env: monaiPythonEnv(), stdio: 'pipe', timeout: 300_000 });
}

/** One tensor as PyTorch holds it: torch dtype name, shape, and numpy's .tobytes() of its values. */
export interface ExpectedTensor {
  readonly key: string;
  readonly dtype: string;
  readonly shape: number[];
  readonly bytes: Uint8Array;
}

/** What `<stem>.pt` must read as, in state_dict order (stem.expect.json + stem.expect.bin). */
export function expectedTensors(dir: string, stem: string): ExpectedTensor[] {
  const blob = readFileSync(path.join(dir, `${stem}.expect.bin`));
  const entries = JSON.parse(readFileSync(path.join(dir, `${stem}.expect.json`), 'utf8')) as {
    key: string;
    dtype: string;
    shape: number[];
    offset: number;
    bytes: number;
  }[];
  return entries.map((e) => ({ key: e.key, dtype: e.dtype, shape: e.shape, bytes: blob.subarray(e.offset, e.offset + e.bytes) }));
}
