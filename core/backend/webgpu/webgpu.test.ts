// WebGPU backend on a real Dawn adapter (issue #12): SwiftShader (Vulkan on the CPU, from chromium) where
// there is no GPU. The GPU work runs in a child process started with the adapter's environment
// (testing/swiftshader.ts); these tests skip only when no adapter can be found at all, and say why.
// The small net's step takes ~10 s on SwiftShader with 2 cores since our Conv3D kernels (kernels/conv3d.ts;
// ~90 s with tfjs's own); the DenseNet-121 forward at 96^3 is in densenetForward.test.ts.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSafetensors, toFloat32 } from '../../model/index.js';
import { useBackend } from '../../model/testing/backends.js';
import { relativeError } from '../../model/testing/tensors.js';
import type { BackendReport } from '../selectBackend.js';
import {
  committedSummary,
  gradientTolerance,
  makeReference,
  referenceUnavailable,
} from './testing/float64/reference.js';
import { runStepScenario, type ScenarioName } from './testing/stepScenario.js';
import { openWebgpuChild } from './testing/swiftshader.js';

const child = await openWebgpuChild();
const found = child.adapter !== null;
const where = found ? `${child.adapter!.vendor} ${child.adapter!.architecture}` : `skipped: ${child.reason}`;
if (!found) console.warn(`webgpu.test.ts: every test skipped, no WebGPU adapter: ${child.reason}`);
const temp = mkdtempSync(path.join(tmpdir(), 'voxlab-webgpu-out-'));

afterAll(() => {
  child.dispose();
  rmSync(temp, { recursive: true, force: true });
});

/**
 * Relative error of gradient b against a, scaled by max(max |a|, 1% of the model's largest gradient). The
 * stem BatchNorm's weight feeds only training-mode BatchNorms (through ReLU and pooling), so its true
 * gradient is ~0 by scale invariance (1e-3 to 1e-6 of the largest): its float32 value is rounding noise
 * that differs between any two backends (wasm against cpu too), and the floor keeps it from counting.
 */
function gradientErrors(a: Map<string, Float32Array>, b: Map<string, Float32Array>): [string, number][] {
  const grads = [...a].filter(([k]) => k.startsWith('grad.'));
  const largest = Math.max(...grads.flatMap(([, v]) => v.reduce((m, x) => Math.max(m, Math.abs(x)), 0)));
  return grads.map(([k, v]) => [k, relativeError(v, b.get(k) ?? [], 0.01 * largest)]);
}

/**
 * Relative error of each gradient tensor as a whole: ||b - a||_2 / ||a||_2 (the norm-wise relative error of
 * numerical linear algebra, Higham 2002 §1.2), which float32 reordering noise in a few tiny elements cannot
 * dominate the way it dominates the elementwise measure.
 */
function gradientNormErrors(a: Map<string, Float32Array>, b: Map<string, Float32Array>): [string, number][] {
  const grads = [...a].filter(([k]) => k.startsWith('grad.'));
  const rms = (v: Float32Array) => Math.sqrt(v.reduce((m, x) => m + x * x, 0) / Math.max(1, v.length));
  // As gradientErrors' floor: a tensor whose RMS is under 1% of the largest RMS (the stem BatchNorm's,
  // ~0 by scale invariance) is measured against that floor, not against its own noise-sized norm.
  const floor = 0.01 * Math.max(...grads.map(([, v]) => rms(v)));
  return grads.map(([k, v]) => {
    const w = b.get(k) ?? new Float32Array(v.length);
    let diff = 0;
    for (let i = 0; i < v.length; i++) diff += (w[i]! - v[i]!) ** 2;
    return [k, Math.sqrt(diff / Math.max(1, v.length)) / Math.max(rms(v), floor)];
  });
}

/** ||b - a||_2 / ||a||_2 over every gradient as one vector (all trainable parameters of the model). */
function wholeGradientError(a: Map<string, Float32Array>, b: Map<string, Float32Array>): number {
  let diff = 0;
  let norm = 0;
  for (const [k, v] of a) {
    if (!k.startsWith('grad.')) continue;
    const w = b.get(k) ?? new Float32Array(v.length);
    for (let i = 0; i < v.length; i++) {
      diff += (w[i]! - v[i]!) ** 2;
      norm += v[i]! ** 2;
    }
  }
  return Math.sqrt(diff / norm);
}

const worst = (errors: [string, number][]) => errors.reduce((w, e) => (e[1] > w[1] ? e : w), ['', 0]);

function readValues(file: string): Map<string, Float32Array> {
  const parsed = parseSafetensors(new Uint8Array(readFileSync(file)));
  return new Map([...parsed.tensors].map(([k, t]) => [k, toFloat32(t)]));
}

/** Both backends' values of a scenario, computed once per file (the float64 comparison reuses them). */
const scenarioRuns = new Map<
  ScenarioName,
  Promise<{ wasm: Map<string, Float32Array>; gpu: Map<string, Float32Array> }>
>();

function runBoth(name: ScenarioName) {
  let run = scenarioRuns.get(name);
  if (run === undefined) {
    run = (async () => {
      const out = path.join(temp, `${name}.safetensors`);
      const ran = await child.run<{ backend: string; deviceErrors: string[] }>(
        ['scenario', name, out],
        name === 'small' ? 300_000 : 60_000,
      );
      expect(ran.backend).toBe('webgpu');
      expect(ran.deviceErrors).toEqual([]);
      await useBackend('wasm');
      return { wasm: (await runStepScenario(name)).values, gpu: readValues(out) };
    })();
    scenarioRuns.set(name, run);
  }
  return run;
}

describe(`WebGPU equivalence with wasm (${where})`, () => {
  /**
   * Forward, loss, BatchNorm statistics and Adam within 1e-4; gradients within `tolerance(key)`, elementwise
   * (gradientErrors) and norm-wise (gradientNormErrors).
   */
  async function compare(name: ScenarioName, tolerance: (key: string) => number): Promise<void> {
    const { wasm, gpu } = await runBoth(name);
    expect([...gpu.keys()].sort()).toEqual([...wasm.keys()].sort());
    for (const key of ['eval.logits', 'train.loss', 'train.logits'])
      expect(relativeError(wasm.get(key)!, gpu.get(key)!), key).toBeLessThan(1e-4);
    for (const [key, v] of wasm) {
      if (key.startsWith('stat.') || key.startsWith('adam.'))
        expect(relativeError(v, gpu.get(key)!), key).toBeLessThan(1e-4);
    }
    const elementwise = gradientErrors(wasm, gpu);
    const normwise = gradientNormErrors(wasm, gpu);
    const over = (errors: [string, number][]) => errors.filter(([k, e]) => e >= tolerance(k));
    const [key, error] = worst(elementwise);
    const [normKey, normError] = worst(normwise);
    const at1e4 = normwise.filter(([, e]) => e < 1e-4).length;
    const whole = wholeGradientError(wasm, gpu);
    console.log(
      `${name}: worst gradient error elementwise ${error.toExponential(2)} (${key}), norm-wise ${normError.toExponential(2)} (${normKey}); ${at1e4} of ${normwise.length} tensors within 1e-4 norm-wise; the whole gradient ${whole.toExponential(2)}`,
    );
    expect(over(elementwise)).toEqual([]);
    expect(over(normwise)).toEqual([]);
    expect(whole).toBeLessThan(1e-4);
    // A gradient of zeros would match trivially: the stem conv's is real.
    expect(Math.max(...gpu.get('grad.features.conv0.weight')!.map(Math.abs))).toBeGreaterThan(1e-4);
  }

  it.runIf(found)('tiny net: forward, gradients and two Adam steps equal wasm within 1e-4 (relative)', () =>
    compare('tiny', () => 1e-4),
  );

  // Gradients: 1e-4, or twice PyTorch's own float32 error where float64 shows that larger (float64/small.json:
  // the stem's conv0.weight 2.0e-4, norm0.weight 1.4e-4; every other tensor under 1.1e-5).
  it.runIf(found)(
    'small net at 64^3: forward and Adam within 1e-4; gradients within 1e-4 or the float32 limit PyTorch shows',
    () => {
      const summary = committedSummary('small');
      return compare('small', (key) => gradientTolerance(summary, key));
    },
    400_000,
  );
});

// The truth: float64 gradients from MONAI 1.3.2 on PyTorch (where python3-torch is installed; CI has not).
const noReference = referenceUnavailable();
if (noReference !== null) console.warn(`webgpu.test.ts: no float64 reference here: ${noReference}`);

describe(`Both backends against float64 MONAI (${noReference ?? 'PyTorch found'})`, () => {
  it.runIf(found && noReference === null)(
    'small net: every gradient of webgpu and wasm within 1e-4 of float64, or twice PyTorch float32 error',
    async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'voxlab-float64-'));
      try {
        await useBackend('wasm');
        const { summary, truthFile } = await makeReference(
          'small',
          dir,
          process.env.VOXLAB_WRITE_REFERENCE === '1',
        );
        // The committed summary is this scenario's: the same float64 gradients.
        const committed = committedSummary('small');
        for (const [key, t] of Object.entries(summary.tensors))
          expect(committed.tensors[key]?.truthRms, key).toBeCloseTo(t.truthRms, 8);
        const truth = readValues(truthFile);
        const { wasm, gpu } = await runBoth('small');
        for (const [backend, values] of [
          ['wasm', wasm],
          ['webgpu', gpu],
        ] as const) {
          const errors = gradientNormErrors(truth, values);
          console.log(
            `small, ${backend} against float64: worst ${worst(errors)[1].toExponential(2)} (${worst(errors)[0]})`,
          );
          expect(
            errors.filter(([k, e]) => e >= gradientTolerance(summary, k)),
            backend,
          ).toEqual([]);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    600_000,
  );
});

describe(`WebGPU in the backend choice (${where})`, () => {
  it.runIf(found)(
    'auto names the adapter, marks a software one and passes it over; webgpu takes it',
    async () => {
      const auto = await child.run<BackendReport>(['backend', 'auto']);
      const adapter = auto.webgpu.adapter!;
      expect(adapter).toMatchObject({
        vendor: child.adapter!.vendor,
        architecture: child.adapter!.architecture,
      });
      expect(adapter.limits.maxStorageBufferBindingSize).toBeGreaterThan(0);
      expect(auto.candidates.map((c) => c.name)).toEqual([
        'webgpu',
        'tfjs-node-gpu',
        'tfjs-node',
        'wasm',
        'cpu',
      ]);
      const candidate = auto.candidates[0]!;
      if (adapter.software) {
        expect(auto.backend).not.toBe('webgpu');
        expect(candidate).toMatchObject({ available: true });
        expect(candidate.reason).toMatch(/software adapter .*used only when asked/);
        expect(auto.webgpu.detail).toMatch(/only a software adapter.*For a GPU, /);
      } else {
        expect(auto.backend).toBe('webgpu');
      }
      const asked = await child.run<BackendReport>(['backend', 'webgpu']);
      expect(asked.backend).toBe('webgpu');
      expect(asked.webgpu.inUse).toBe(true);
      expect(asked.candidates[0]!.reason).toContain('tfjs-backend-webgpu 4.22.0 on');
      expect(asked.versions['tfjs-backend-webgpu']).toBe('4.22.0');
    },
  );

  it.runIf(found)(
    'voxlab doctor --json reports the adapter; VOXLAB_BACKEND=webgpu makes auto take it',
    async () => {
      const doctor = await child.run<BackendReport>(['doctor']);
      expect(doctor.webgpu.adapter).toMatchObject({ software: child.adapter!.software });
      if (child.adapter!.software) {
        expect(doctor.backend).toBe('wasm');
        expect(doctor.webgpu.adapter!.softwareReason).toBeTruthy();
      }
      const viaEnv = await child.run<BackendReport>(['backend', 'auto'], 30_000, {
        ...child.env,
        VOXLAB_BACKEND: 'webgpu',
      });
      expect(viaEnv.backend).toBe('webgpu');
    },
  );

  it.runIf(process.platform === 'linux')(
    'without any Vulkan driver, auto falls back to wasm and says what to install',
    async () => {
      const bare = { ...process.env, VK_ICD_FILENAMES: path.join(temp, 'none.json') };
      const report = await child.run<BackendReport>(['backend', 'auto'], 30_000, bare);
      expect(report.backend).toBe('wasm');
      if (report.webgpu.adapter === null) {
        expect(report.candidates[0]).toMatchObject({ name: 'webgpu', available: false });
        expect(report.webgpu.detail).toMatch(/^no WebGPU adapter/);
      }
    },
  );
});
