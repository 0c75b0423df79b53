// voxlab's ONNX reading under fuzzing: 2,000 damaged exports of a tiny DenseNet each read or throw a
// VoxlabError in time, and 60 of them opened in ONNX Runtime through openOrtClassifier give a classifier or
// a VoxlabError. The 10,000-case runs (ORT in a child process, crashes counted) are `npm run fuzz -- onnx`.

import { describe, expect, it } from 'vitest';
import { isVoxlabError } from '../../common/errors.js';
import { openOrtClassifier } from '../OrtClassifier.js';
import { fuzzOnnx, mutateOnnx, onnxFuzzSeed } from './fuzzOnnx.js';

describe('fuzzOnnx', () => {
  it('2,000 damaged models: readOnnxSummary and readOnnxGraph read or throw a VoxlabError in time', () => {
    const report = fuzzOnnx({ cases: 2000, seed: 20261206, caseLimitMs: 1000 });
    expect(report.failures).toEqual([]);
    expect(report.ok + Object.values(report.byCode).reduce((a, b) => a + b, 0)).toBe(2000);
    expect(report.ok).toBeGreaterThan(50);
    expect(report.byCode.MODEL_INVALID).toBeGreaterThan(500);
  }, 30_000);

  it('60 damaged models in ONNX Runtime: a classifier or a VoxlabError', async () => {
    const seed = onnxFuzzSeed();
    const outcomes: string[] = [];
    for (let i = 0; i < 60; i++) {
      const { bytes, label } = mutateOnnx(seed, 7, i);
      try {
        const classifier = await openOrtClassifier(bytes);
        await classifier.dispose();
        outcomes.push('ok');
      } catch (e) {
        outcomes.push(isVoxlabError(e) ? e.code : `case ${i} (${label}): ${String(e)}`);
      }
    }
    expect(outcomes.filter((o) => o !== 'ok' && o !== 'MODEL_INVALID')).toEqual([]);
    expect(outcomes).toContain('MODEL_INVALID');
  }, 30_000);
});
