// A Classifier over a TensorFlow.js TfModel, so explanation and active-learning code can run on the model
// training produced without an ONNX export (and tests can use tiny tfjs models).

import * as tf from '@tensorflow/tfjs-core';
import { VoxlabError } from '../common/errors.js';
import type { Classifier } from '../infer/classifier.js';
import type { TfModel } from '../model/tfModel.js';

/**
 * Wraps `model` (eval mode) as a Classifier. Batches arrive NCDHW (C order) as the Classifier contract says
 * and are transposed to the model's NDHWC [batch, depth, height, width, channels] here. `classes` names the
 * outputs (default class0, class1, ...). dispose() frees nothing of the model (its owner disposes it).
 */
export function tfClassifier(model: TfModel, classes?: readonly string[]): Classifier {
  const [channels, depth, height, width] = model.description.input.shape as [number, number, number, number];
  const outputs = model.description.nodes.find((n) => n.name === model.description.output)!.outputShape[0]!;
  const names = classes ?? Array.from({ length: outputs }, (_, k) => `class${k}`);
  if (names.length !== outputs)
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `tfClassifier: ${names.length} class names for a model with ${outputs} outputs`,
    );
  const sample = channels * depth * height * width;
  let disposed = false;
  return {
    inputShape: [channels, depth, height, width],
    classes: names,
    engine: `tfjs-${tf.getBackend()}`,
    async predict(batch, n) {
      if (disposed) throw new VoxlabError('BAD_ARGUMENT', 'tfClassifier: predict() after dispose()');
      if (!Number.isInteger(n) || n < 1 || batch.length !== n * sample)
        throw new VoxlabError(
          'BAD_VALUES',
          `tfClassifier: expected ${n} x ${sample} values, got ${batch.length}`,
        );
      const logits = tf.tidy(() => {
        const x = tf.transpose(tf.tensor5d(batch, [n, channels, depth, height, width]), [0, 2, 3, 4, 1]);
        return model.forward(x);
      });
      try {
        return (await logits.data()) as Float32Array;
      } finally {
        logits.dispose();
      }
    },
    dispose() {
      disposed = true;
      return Promise.resolve();
    },
  };
}

/** One NCDHW sample ([channels, depth, height, width], C order) as an NDHWC tensor [1, d, h, w, c]; caller disposes. */
export function sampleToNdhwc(input: Float32Array, shape: readonly number[]): tf.Tensor5D {
  const [c, d, h, w] = shape as [number, number, number, number];
  if (input.length !== c * d * h * w)
    throw new VoxlabError(
      'SHAPE_MISMATCH',
      `sampleToNdhwc: ${input.length} values for [${shape.join(', ')}]`,
    );
  return tf.tidy(() => tf.transpose(tf.tensor5d(input, [1, c, d, h, w]), [0, 2, 3, 4, 1]));
}
