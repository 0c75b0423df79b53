// Every MONAI state_dict we can produce here loads, value for value: DenseNet121 and the small and tiny
// presets saved by real PyTorch (torch.save, default zip format), a tiny one wrapped with its optimizer
// as ignite's CheckpointSaver writes it, with DataParallel's 'module.' keys, and in float64 and float16.
// Skipped, with the reason, where Debian's python3-torch or the vendored MONAI is missing.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPytorchCheckpoint } from './readPytorch.js';
import { checkpointsUnavailable, expectedTensors, makeCheckpoints } from './testing/monaiCheckpoints.js';

const unavailable = checkpointsUnavailable();
if (unavailable !== null) console.warn(`monaiCheckpoints.test.ts: skipped, no PyTorch checkpoints: ${unavailable}`);

const TORCH_DTYPES: Readonly<Record<string, string>> = {
  'torch.float32': 'F32',
  'torch.float64': 'F64',
  'torch.float16': 'F16',
  'torch.int64': 'I64',
};

describe.skipIf(unavailable !== null)('MONAI checkpoints written by PyTorch', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'voxlab-pt-'));
    makeCheckpoints(dir, ['densenet121', 'small', 'tiny'], ['--variants']);
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['densenet121', 'small', 'tiny', 'tiny_wrapped', 'tiny_ddp', 'tiny_f64', 'tiny_f16'])(
    '%s.pt reads exactly as PyTorch wrote it',
    (stem) => {
      const file = readPytorchCheckpoint(new Uint8Array(readFileSync(path.join(dir, `${stem}.pt`))), `${stem}.pt`);
      const expected = expectedTensors(dir, stem);
      expect([...file.tensors.keys()]).toEqual(expected.map((e) => e.key));
      for (const e of expected) {
        const t = file.tensors.get(e.key)!;
        expect({ key: e.key, dtype: t.dtype, shape: t.shape }).toEqual({ key: e.key, dtype: TORCH_DTYPES[e.dtype], shape: e.shape });
        expect(Buffer.from(t.bytes).equals(e.bytes), e.key).toBe(true);
      }
    },
  );
});
