// Test helpers: run code with OUR gradient registrations in a process where tfjs's reference gradients
// (register_all_gradients.js, importable under vitest only) are registered, and compare tensors.

import { getGradient, registerGradient, unregisterGradient, type GradConfig } from '@tensorflow/tfjs-core';
import { SeededRandom } from '../../../common/random.js';
import type { TfModel } from '../../../model/index.js';
import { TRAINING_GRADIENTS } from '../gradients/index.js';

export { relativeError, seededTensor } from '../../../model/testing/tensors.js';

/**
 * Runs `fn` with our gradients registered in place of whatever is registered, then restores the previous
 * registrations. The tape looks gradients up when an op is recorded, so the whole tf.grad call goes in fn.
 */
export function withOurGradients<T>(fn: () => T): T {
  const previous = new Map<string, GradConfig | undefined>(
    TRAINING_GRADIENTS.map((c) => [c.kernelName, getGradient(c.kernelName)]),
  );
  for (const config of TRAINING_GRADIENTS) registerGradient(config);
  try {
    return fn();
  } finally {
    for (const [name, config] of previous) {
      if (config === undefined) unregisterGradient(name);
      else registerGradient(config);
    }
  }
}

/** The tiny DenseNet of the engine tests: init 8, growth 4, blocks (2, 2), bn_size 2, for 16^3 inputs. */
export const TINY_DENSENET = { initFeatures: 8, growthRate: 4, blockConfig: [2, 2], bnSize: 2 } as const;
export const TINY_SIZE = [16, 16, 16] as const;

/**
 * Gives every BatchNorm a random weight in [0.5, 1.5) and bias in [-0.5, 0.5). At MONAI's init (weight 1,
 * bias 0) a BatchNorm feeding ReLU and then only other training-mode BatchNorms is scale-invariant, so its
 * weight's true gradient is 0 and comparing rounding noise says nothing.
 */
export function perturbBatchNorms(model: TfModel, seed: number): void {
  const random = new SeededRandom(seed);
  for (const key of model.stateKeys) {
    const entry = model.entry(key);
    if (!/\.norm\d?\.(weight|bias)$/.test(key)) continue;
    const [lo, hi] = entry.role === 'weight' ? [0.5, 1.5] : [-0.5, 0.5];
    model.writeTorch(
      key,
      Float32Array.from({ length: entry.shape[0]! }, () => random.uniform(lo, hi)),
    );
  }
}
