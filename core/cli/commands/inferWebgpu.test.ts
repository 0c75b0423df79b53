// Issue #12, must-show 2: `voxlab infer --provider webgpu` runs MONAI's DenseNet ONNX on ONNX Runtime's
// WebGPU provider and prints the reference logits (within 1e-4), through the built CLI in a child process
// whose environment gives Dawn the SwiftShader adapter (the loader reads it only at process start).

import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { swiftshaderEnv } from '../../backend/webgpu/testing/swiftshader.js';
import { writeScan } from '../../infer/testing/fixtures.js';
import { referenceBytes, referenceFloat32 } from '../../model/testing/backends.js';
import { tempFolders } from '../../train/testing/tinyStudy.js';

const BIN = path.join(import.meta.dirname, '..', '..', '..', 'bin', 'voxlab.js');
const REFERENCE = [-0.16278867423534393, 0.03440219908952713];
// Debian's chromium (a test requirement: .ci/run installs it) brings SwiftShader and its Vulkan loader.
const env = swiftshaderEnv();
const temp = tempFolders();
const dir = temp.make('voxlab-infer-webgpu-');
const onnx = path.join(dir, 'densenet_tiny.onnx');
const scan = path.join(dir, 'input32.nii.gz');

beforeAll(async () => {
  writeFileSync(onnx, referenceBytes('densenet_tiny.onnx'));
  await writeScan(scan, [32, 32, 32], referenceFloat32('input_32.f32'));
});
afterAll(() => temp.cleanup());

describe('voxlab infer --provider webgpu (SwiftShader)', () => {
  it('runs on the WebGPU provider and gives the reference logits', async () => {
    expect(env, 'no SwiftShader: apt-get install chromium (it ships vk_swiftshader_icd.json and libvulkan)').not.toBeNull();
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) =>
      execFile(
        process.execPath,
        [BIN, 'infer', '--model', onnx, scan, '--preprocess', 'none', '--provider', 'webgpu', '--json'],
        { env: env!, timeout: 120_000 },
        (e, out, err) => (e ? reject(new Error(`${e.message}\n${err}`)) : resolve({ stdout: out, stderr: err })),
      ),
    );
    const json = JSON.parse(stdout) as { model: { engine: string }; results: { logits: number[] }[] };
    expect(json.model.engine, stderr).toMatch(/webgpu/);
    json.results[0]!.logits.forEach((v, i) => expect(Math.abs(v - REFERENCE[i]!)).toBeLessThan(1e-4));
  }, 150_000);
});
