import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDenseNet, type TfModel } from '../../model/index.js';
import { useBackend } from '../../model/testing/backends.js';
import {
  disposeStepGradients,
  segmentwiseGradients,
  wholeModelGradients,
  type StepGradients,
} from './backprop.js';
import { crossEntropyLoss } from './crossEntropy.js';
import {
  perturbBatchNorms,
  relativeError,
  seededTensor,
  TINY_DENSENET,
  TINY_SIZE,
  withOurGradients,
} from './testing/gradientSwap.js';

const LABELS = Int32Array.from([0, 1]);
const lossOf = (logits: tf.Tensor2D) => crossEntropyLoss(logits, LABELS);

/** The worst relative error over every parameter's gradient, and the key where it happens. */
function worstGradientError(a: StepGradients, b: StepGradients): { error: number; key: string } {
  let worst = { error: 0, key: '' };
  for (const [key, g] of a.grads) {
    const error = relativeError(g.dataSync(), b.grads.get(key)?.dataSync() ?? []);
    if (error > worst.error) worst = { error, key };
  }
  return worst;
}

describe('tiny DenseNet gradients (init 8, growth 4, blocks (2, 2), 16^3, batch 2, cpu)', () => {
  // Each model is a fresh copy from the same seed: every run updates BatchNorm running stats once.
  const model = (config = {}) => {
    const m = createDenseNet({ ...TINY_DENSENET, ...config }, { inputSize: TINY_SIZE, seed: 5 });
    perturbBatchNorms(m, 6);
    return m;
  };
  let x: tf.Tensor;
  beforeAll(async () => {
    await useBackend('cpu');
    x = seededTensor([2, ...TINY_SIZE, 1], 1, 0, 1);
  });
  afterAll(() => x.dispose());

  function run(gradients: typeof wholeModelGradients, ours: boolean, m: TfModel, dropoutSeed?: number) {
    const go = () => gradients(m, x, lossOf, { dropoutSeed });
    return ours ? withOurGradients(go) : go();
  }

  it('ours (whole-model and segment-wise) equal tfjs reference autodiff within 1e-4', () => {
    const models = [model(), model(), model()];
    const reference = run(wholeModelGradients, false, models[0]!);
    const oursWhole = run(wholeModelGradients, true, models[1]!);
    const oursSegments = run(segmentwiseGradients, true, models[2]!);
    expect(reference.grads.size).toBe(models[0]!.trainableVariables().length);
    expect(worstGradientError(reference, oursWhole).error).toBeLessThan(1e-4);
    expect(worstGradientError(reference, oursSegments).error).toBeLessThan(1e-4);
    expect(oursSegments.loss.dataSync()[0]).toBeCloseTo(reference.loss.dataSync()[0]!, 5);
    expect(relativeError(reference.logits.dataSync(), oursSegments.logits.dataSync())).toBeLessThan(1e-6);
    // A gradient that is all zeros would match trivially: the stem's conv gets a real one.
    const stem = reference.grads.get('features.conv0.weight')!;
    expect(tf.tidy(() => tf.max(tf.abs(stem)).dataSync()[0])).toBeGreaterThan(1e-4);
    [reference, oursWhole, oursSegments].forEach(disposeStepGradients);
    models.forEach((m) => m.dispose());
  });

  it('segment-wise updates BatchNorm running stats once, like the whole-model forward', () => {
    const [a, b] = [model(), model()];
    disposeStepGradients(run(wholeModelGradients, true, a));
    disposeStepGradients(run(segmentwiseGradients, true, b));
    for (const key of ['features.norm0', 'features.denseblock2.denselayer2.layers.norm2', 'features.norm5']) {
      expect(b.numBatchesTracked(`${key}.num_batches_tracked`)).toBe(1);
      expect(
        relativeError(a.readTorch(`${key}.running_var`), b.readTorch(`${key}.running_var`)),
      ).toBeLessThan(1e-6);
    }
    a.dispose();
    b.dispose();
  });

  it('with dropout, segment-wise recomputation reuses the masks of the first pass', () => {
    const [a, b] = [model({ dropoutProb: 0.3 }), model({ dropoutProb: 0.3 })];
    const whole = run(wholeModelGradients, true, a, 42);
    const segments = run(segmentwiseGradients, true, b, 42);
    expect(worstGradientError(whole, segments).error).toBeLessThan(1e-4);
    [whole, segments].forEach(disposeStepGradients);
    a.dispose();
    b.dispose();
  });

  it('gives the same segment-wise gradients on the wasm backend as on cpu', async () => {
    const onCpu = model();
    const cpu = run(segmentwiseGradients, true, onCpu);
    const cpuGrads = new Map([...cpu.grads].map(([k, g]) => [k, g.dataSync().slice()]));
    disposeStepGradients(cpu);
    onCpu.dispose();
    // tfjs-backend-wasm's stock kernels (core/backend's faster ones are tested there).
    await useBackend('wasm');
    try {
      expect(tf.getBackend()).toBe('wasm');
      const onWasm = model();
      const xWasm = tf.tensor(x.dataSync(), x.shape);
      const wasm = withOurGradients(() => segmentwiseGradients(onWasm, xWasm, lossOf));
      for (const [key, g] of wasm.grads)
        expect(relativeError(cpuGrads.get(key)!, g.dataSync())).toBeLessThan(1e-4);
      expect(wasm.grads.size).toBe(cpuGrads.size);
      disposeStepGradients(wasm);
      tf.dispose(xWasm);
      onWasm.dispose();
    } finally {
      await useBackend('cpu');
    }
  });

  it('recording segments under a memory budget gives the same results as recomputing, bit for bit', () => {
    // Tapes here (KiB): stem 226, dense layers 13-58, transition 29, head 3.5. 0: recompute all;
    // 0.004: the head only; 0.05: one dense layer; 0.3: stem, a dense layer, the transition; 1e6: all.
    const budgets = [0, 0.004, 0.05, 0.3, 1e6];
    const models = budgets.map(() => model({ dropoutProb: 0.3 }));
    const results = budgets.map((memoryBudgetMb, i) =>
      withOurGradients(() => segmentwiseGradients(models[i]!, x, lossOf, { dropoutSeed: 7, memoryBudgetMb })),
    );
    const [recompute, ...recorded] = results;
    for (const r of recorded) {
      expect(r.loss.dataSync()).toEqual(recompute!.loss.dataSync());
      expect(r.logits.dataSync()).toEqual(recompute!.logits.dataSync());
      expect([...r.grads.keys()]).toEqual([...recompute!.grads.keys()]);
      for (const [key, g] of recompute!.grads) expect(r.grads.get(key)!.dataSync()).toEqual(g.dataSync());
    }
    for (const m of models.slice(1)) {
      for (const key of [
        'features.norm0',
        'features.denseblock2.denselayer2.layers.norm2',
        'features.norm5',
      ]) {
        expect(m.numBatchesTracked(`${key}.num_batches_tracked`)).toBe(1);
        expect(m.readTorch(`${key}.running_var`)).toEqual(models[0]!.readTorch(`${key}.running_var`));
        expect(m.readTorch(`${key}.running_mean`)).toEqual(models[0]!.readTorch(`${key}.running_mean`));
      }
    }
    results.forEach(disposeStepGradients);
    models.forEach((m) => m.dispose());
  });

  it.each([0, 0.02, 1e6])(
    'leaves no tensors behind but its results (memoryBudgetMb %s)',
    (memoryBudgetMb) => {
      const m = model();
      const before = tf.memory().numTensors;
      const result = withOurGradients(() => segmentwiseGradients(m, x, lossOf, { memoryBudgetMb }));
      expect(tf.memory().numTensors).toBe(before + 2 + result.grads.size);
      disposeStepGradients(result);
      expect(tf.memory().numTensors).toBe(before);
      m.dispose();
    },
  );

  it('leaves no tensors behind but its results', () => {
    const m = model();
    const before = tf.memory().numTensors;
    const result = run(segmentwiseGradients, true, m);
    expect(tf.memory().numTensors).toBe(before + 2 + result.grads.size);
    disposeStepGradients(result);
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });
});
