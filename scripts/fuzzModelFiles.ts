// `npm run fuzz -- safetensors` and `npm run fuzz -- onnx`: runs the model-file fuzzers and prints one JSON
// summary {cases, ok, typedErrors, byCode, failures, crashes, slowest_ms, peak_rss_mb, seconds} (for onnx
// also `ort`, the ONNX Runtime run in a child process). Returns the exit code: 1 on any failure or crash.

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fuzzOnnx } from '../core/infer/onnx/fuzzOnnx.js';
import type { FuzzReport } from '../core/io/fuzz.js';
import { fuzzSafetensors } from '../core/model/fuzzSafetensors.js';
import { createDenseNet } from '../core/model/tfModel.js';
import type { OrtFuzzReport } from './fuzzOnnxOrt.js';

const TINY = { initFeatures: 8, growthRate: 4, blockConfig: [2, 2, 2, 2], bnSize: 2 };

async function runSafetensors(cases: number, seed: number, sharedDir: string): Promise<FuzzReport> {
  await tf.setBackend('cpu');
  const model = createDenseNet(TINY, { inputSize: [32, 32, 32], seed: 0 });
  const reference = join(sharedDir, 'reference', 'monai', 'densenet_tiny.safetensors');
  const seeds = existsSync(reference) ? [{ name: 'densenet_tiny', bytes: new Uint8Array(readFileSync(reference)) }] : [];
  return fuzzSafetensors({ cases, seed, model, seeds });
}

export async function fuzzModelFiles(
  target: 'safetensors' | 'onnx',
  options: { cases: number; seed: number; sharedDir: string; ort?: () => Promise<OrtFuzzReport> },
): Promise<number> {
  const started = Date.now();
  const report = target === 'safetensors' ? await runSafetensors(options.cases, options.seed, options.sharedDir) : fuzzOnnx(options);
  const ort = options.ort === undefined ? undefined : await options.ort();
  const summary = {
    target,
    seed: options.seed,
    cases: report.cases,
    ok: report.ok,
    typedErrors: Object.values(report.byCode).reduce((a, b) => a + b, 0),
    byCode: report.byCode,
    failures: report.failures,
    crashes: ort?.crashes ?? 0,
    slowest_ms: Math.round(report.maxMs * 10) / 10,
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    ...(ort === undefined ? {} : { ort: { ...ort, slowestMs: Math.round(ort.slowestMs) } }),
    seconds: (Date.now() - started) / 1000,
  };
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  return report.failures.length > 0 || (ort !== undefined && (ort.failures.length > 0 || ort.crashes > 0)) ? 1 : 0;
}
