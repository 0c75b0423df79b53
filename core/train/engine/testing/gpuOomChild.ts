// Child process of gpuStepGuard.test.ts (issue #12): the webgpu backend (SwiftShader without a GPU) running
// out of memory. Prints one JSON line:
//   budget SIZE BATCH   tiny DenseNet steps at SIZE^3: a GPU memory budget between what batches 2 and 4 need,
//                       a step at BATCH (expected to fail), the state before and after, then a step at the
//                       batch the error names
//   device-oom 0        an allocation the device itself refuses, caught by gpuErrorScope

import * as tf from '@tensorflow/tfjs-core';
import { gpuErrorScope, gpuMemory, resetGpuMemoryPeak, setGpuMemoryBudget } from '../../../backend/webgpu/gpuMemory.js';
import { webgpuDeviceErrors } from '../../../backend/webgpu/startWebgpu.js';
import { initBackend } from '../../../backend/selectBackend.js';
import { isVoxlabError } from '../../../common/errors.js';
import { createDenseNet, type TfModel } from '../../../model/index.js';
import { Adam, createTrainStep, namedParameters } from '../index.js';
import { TINY_DENSENET } from './gradientSwap.js';

const [command, sizeArg, batchArg] = process.argv.slice(2);
const size = Number(sizeArg);
const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

/** Every state entry (parameters and running stats) read back from the GPU, and the batch counters. */
async function snapshot(model: TfModel): Promise<Record<string, number[]>> {
  await model.download();
  const out: Record<string, number[]> = {};
  for (const key of model.stateKeys) {
    out[key] =
      model.entry(key).dtype === 'I64' ? [model.numBatchesTracked(key)] : Array.from(model.readTorch(key));
  }
  return out;
}

const report = await initBackend({ prefer: 'webgpu' });
if (report.backend !== 'webgpu') throw new Error(`webgpu did not start: ${report.webgpu.detail}`);
const model = createDenseNet({ ...TINY_DENSENET, outChannels: 2 }, { inputSize: [size, size, size], seed: 3 });
const step = createTrainStep(model, { optimizer: new Adam(namedParameters(model), { lr: 1e-3 }) });
const batchOf = (b: number) => ({
  x: tf.randomUniform([b, size, size, size, 1], 0, 1, 'float32', 5) as tf.Tensor5D,
  labels: Int32Array.from({ length: b }, (_, i) => i % 2),
});
const stepAt = async (b: number) => {
  const { x, labels } = batchOf(b);
  try {
    return await step(x, labels);
  } finally {
    x.dispose();
  }
};

if (command === 'budget') {
  // Per-image GPU memory of a step, measured at batches 1 and 2; a budget between the needs of batches 2
  // and 4; then a step at BATCH under it.
  const peakAt = async (b: number) => {
    resetGpuMemoryPeak();
    await stepAt(b);
    return gpuMemory()!.peakUsedBytes;
  };
  const one = await peakAt(1);
  const two = await peakAt(2);
  const budgetBytes = two + 1.5 * (two - one);
  setGpuMemoryBudget(budgetBytes);
  const before = await snapshot(model);
  let error: unknown = null;
  try {
    await stepAt(Number(batchArg));
  } catch (e) {
    error = e;
  }
  const after = await snapshot(model);
  const changed = Object.keys(before).filter((k) => before[k]!.some((v, i) => !Object.is(v, after[k]![i])));
  const thrown = isVoxlabError(error)
    ? { code: error.code, message: error.message, details: error.details }
    : { code: null, message: String(error) };
  let retry: { loss: number; peakBytes: number } | { error: string } | null = null;
  const fits = (thrown.details?.batchThatFits as number | undefined) ?? 0;
  if (fits > 0) {
    try {
      resetGpuMemoryPeak();
      retry = { loss: (await stepAt(fits)).loss, peakBytes: gpuMemory()!.peakUsedBytes };
    } catch (e) {
      retry = { error: String(e) };
    }
  }
  print({ one, two, budgetBytes, thrown, changed, retry, uncaught: webgpuDeviceErrors().length });
} else if (command === 'device-oom') {
  // A real failed allocation: 1 GiB (the adapter's maxBufferSize on SwiftShader, which its Vulkan heap
  // cannot allocate in one piece), under gpuErrorScope; then the device still computes.
  const scope = gpuErrorScope()!;
  const big = tf.fill([2 ** 28], 1, 'float32');
  const sum = tf.sum(big);
  const errors = await scope.close();
  tf.dispose([big, sum]);
  const after = Array.from(await tf.add(tf.tensor1d([1, 2]), 1).data());
  print({ errors, after, uncaught: webgpuDeviceErrors().length });
} else throw new Error(`gpuOomChild: unknown command '${command}'`);
