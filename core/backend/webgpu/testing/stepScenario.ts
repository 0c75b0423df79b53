// Test scenario for backend equivalence (issue #12): one eval forward, one training step (segment-wise
// gradients, as training runs them) and one Adam update of a seeded DenseNet preset, on whatever tfjs
// backend is active. The vitest process runs it on wasm, a child process on webgpu; the results must match.

import * as tf from '@tensorflow/tfjs-core';
import { createDenseNet, type TfModel } from '../../../model/index.js';
import { seededTensor } from '../../../model/testing/tensors.js';
import { MODEL_PRESETS, type TrainConfigInput } from '../../../train/config.js';
import {
  Adam,
  crossEntropyLoss,
  disposeStepGradients,
  namedParameters,
  registerTrainingGradients,
  segmentwiseGradients,
} from '../../../train/engine/index.js';
import { perturbBatchNorms, TINY_DENSENET } from '../../../train/engine/testing/gradientSwap.js';
import { TINY_CONFIG } from '../../../train/testing/tinyStudy.js';

/**
 * The nets compared, each with a batch of 2: 'tiny' is the engine tests' DenseNet (init 8, growth 4,
 * blocks (2, 2)) at 16^3; 'small' is `voxlab train --model small` at 64^3, the size it is made for (~10 s
 * a step on SwiftShader with 2 cores). Not at 32^3: there its last block runs at 1^3, so every BatchNorm
 * there normalises 2 values, where the gradient through it is a cancellation of nearly equal terms (exactly
 * zero without eps): changing one rsqrt by an ulp moved the gradients by 1-2e-4 on one backend, and PyTorch's
 * own float32 gradients were 1.2e-4 off float64 (measured with float64/make_reference.py).
 */
export const SCENARIOS = {
  tiny: { config: TINY_DENSENET, size: 16 },
  small: { config: MODEL_PRESETS.small, size: 64 },
} as const;
export type ScenarioName = keyof typeof SCENARIOS;

/** The training run compared across backends: the tiny study's recipe (tiny net, 16^3), 2 epochs. */
export const TRAIN_ON_GPU: TrainConfigInput = { ...TINY_CONFIG, epochs: 2, valInterval: 1 };

/** Adam's step size here: 1e-3, so that the update is well above float32 rounding of the weights. */
const LR = 1e-3;

/**
 * The scenario's seeded model (BatchNorm weights and biases perturbed, so that none is the identity), its
 * input x NDHWC [2, size, size, size, 1] (uniform in [0, 1)) and labels [0, 1]; the caller disposes model and x.
 */
export function scenarioInputs(name: ScenarioName): { model: TfModel; x: tf.Tensor5D; labels: Int32Array } {
  const { config, size } = SCENARIOS[name];
  const model = createDenseNet({ ...config, outChannels: 2 }, { inputSize: [size, size, size], seed: 7 });
  perturbBatchNorms(model, 11);
  const x = seededTensor([2, size, size, size, 1], 5, 0, 1) as tf.Tensor5D;
  return { model, x, labels: Int32Array.from([0, 1]) };
}

/**
 * Runs the scenario on the active backend. Returns named float32 arrays: 'eval.logits' [2, 2], 'train.loss'
 * [1], 'train.logits' [2, 2], 'grad.<key>' per trainable variable (tfjs layout), 'stat.<key>' per
 * BatchNorm running stat after the training forward, and 'adam.<key>' per trainable variable after two Adam
 * steps on seeded gradients; plus wall seconds per phase. The Adam steps take the same seeded gradients on
 * every backend: a first Adam step moves each weight by about lr * sign(g), so gradients that differ in
 * float32 rounding near zero would flip whole steps, which says nothing about the optimizer's arithmetic.
 */
export async function runStepScenario(
  name: ScenarioName,
): Promise<{ values: Map<string, Float32Array>; seconds: Record<string, number> }> {
  registerTrainingGradients();
  const { model, x, labels } = scenarioInputs(name);
  const optimizer = new Adam(namedParameters(model), { lr: LR });
  const values = new Map<string, Float32Array>();
  const seconds: Record<string, number> = {};
  const read = async (t: tf.Tensor) => Float32Array.from(await t.data());
  try {
    let t0 = performance.now();
    const evalLogits = model.forward(x, { training: false });
    values.set('eval.logits', await read(evalLogits));
    evalLogits.dispose();
    seconds.forward = (performance.now() - t0) / 1000;
    t0 = performance.now();
    const step = segmentwiseGradients(model, x, (logits) => crossEntropyLoss(logits, labels));
    try {
      values.set('train.loss', await read(step.loss));
      values.set('train.logits', await read(step.logits));
      for (const [key, g] of step.grads) values.set(`grad.${key}`, await read(g));
    } finally {
      disposeStepGradients(step);
    }
    for (const key of model.stateKeys.filter((k) => /running_(mean|var)$/.test(k)))
      values.set(`stat.${key}`, await read(model.variable(key)));
    seconds.trainStep = (performance.now() - t0) / 1000;
    const params = namedParameters(model);
    for (const seed of [101, 102]) {
      const grads = new Map([...params].map(([key, p], i) => [key, seededTensor(p.shape, seed * 1000 + i)]));
      optimizer.step(grads);
      tf.dispose([...grads.values()]);
    }
    for (const [key, p] of params) values.set(`adam.${key}`, await read(p));
    return { values, seconds };
  } finally {
    optimizer.dispose();
    model.dispose();
    x.dispose();
  }
}
