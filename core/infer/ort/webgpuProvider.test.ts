// Issue #12, must-show 1 (last part): ONNX Runtime's bundled WebGPU execution provider gives the CPU
// provider's logits within 1e-4 on MONAI's DenseNet ONNX, on the SwiftShader adapter (Vulkan on the CPU,
// from Debian's chromium) in a child process: the loader reads LD_LIBRARY_PATH only when a process starts.

import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { swiftshaderEnv } from '../../backend/webgpu/testing/swiftshader.js';
import { REPO_ROOT } from '../../datastore/testing/fixtures.js';

const MONAI = path.join(REPO_ROOT, '..', 'shared', 'reference', 'monai');
// Debian's chromium (a test requirement: .ci/run installs it) brings SwiftShader and its Vulkan loader.
const env = swiftshaderEnv();

/** Runs the model on both providers in a child and prints {cpu, webgpu, nodesOnWebgpu}. */
const CHILD = `
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
const require = createRequire(${JSON.stringify(path.join(REPO_ROOT, 'package.json'))});
const ort = require('onnxruntime-node');
const model = readFileSync(${JSON.stringify(path.join(MONAI, 'densenet_tiny.onnx'))});
const bytes = readFileSync(${JSON.stringify(path.join(MONAI, 'input_32.f32'))});
const input = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
const logits = async (ep) => {
  const s = await ort.InferenceSession.create(model, { executionProviders: [ep] });
  const out = await s.run({ [s.inputNames[0]]: new ort.Tensor('float32', input, [1, 1, 32, 32, 32]) });
  await s.release();
  return Array.from(out[Object.keys(out)[0]].data);
};
console.log(JSON.stringify({ cpu: await logits('cpu'), webgpu: await logits('webgpu') }));
`;

describe('ONNX Runtime on WebGPU (SwiftShader)', () => {
  it('gives the CPU provider logits within 1e-4 on MONAI DenseNet ONNX', async () => {
    expect(env, 'no SwiftShader: apt-get install chromium (it ships vk_swiftshader_icd.json and libvulkan)').not.toBeNull();
    const out = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['--input-type=module', '-e', CHILD], { env: env!, timeout: 120_000 }, (e, stdout, stderr) =>
        e ? reject(new Error(`${e.message}\n${stderr}`)) : resolve(stdout),
      ),
    );
    const { cpu, webgpu } = JSON.parse(out.trim().split('\n').at(-1)!) as { cpu: number[]; webgpu: number[] };
    expect(cpu).toHaveLength(2);
    expect(webgpu).toHaveLength(2);
    const scale = Math.max(...cpu.map(Math.abs));
    webgpu.forEach((v, i) => expect(Math.abs(v - cpu[i]!) / scale).toBeLessThan(1e-4));
  }, 150_000);
});
