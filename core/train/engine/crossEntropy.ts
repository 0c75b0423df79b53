// The training loss: mean cross-entropy over a batch of logits, as torch.nn.CrossEntropyLoss computes it
// (reduction 'mean', no class weights, no label smoothing), with its gradient written out.

import * as tf from '@tensorflow/tfjs-core';
import { VoxlabError } from '../../common/errors.js';

/**
 * L = -(1/B) sum_b log softmax(logits_b)[label_b] for logits [batch, classes] and integer labels [batch]
 * (class indices in [0, classes)). The log-softmax is logits - max - log(sum(exp(logits - max))), so large
 * logits neither overflow nor lose the answer. The gradient dL/dlogits = (softmax - onehot) / B is given by
 * tf.customGrad, so the loss needs no registered gradients. Returns a scalar the caller disposes.
 * Throws SHAPE_MISMATCH (shapes) or BAD_ARGUMENT (labels outside [0, classes)).
 */
export function crossEntropyLoss(logits: tf.Tensor, labels: Int32Array | tf.Tensor1D): tf.Scalar {
  if (logits.rank !== 2)
    throw new VoxlabError(
      'SHAPE_MISMATCH',
      `crossEntropyLoss: logits must be [batch, classes], got [${logits.shape.join(', ')}]`,
    );
  const [batch, classes] = logits.shape as [number, number];
  const values = labels instanceof Int32Array ? labels : checkedLabelTensor(labels);
  if (values.length !== batch)
    throw new VoxlabError(
      'SHAPE_MISMATCH',
      `crossEntropyLoss: ${values.length} labels for a batch of ${batch}`,
    );
  const bad = values.findIndex((v) => !(v >= 0 && v < classes));
  if (bad >= 0)
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `crossEntropyLoss: label ${values[bad]} at ${bad} is not a class in [0, ${classes})`,
    );
  const loss = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [z, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const oneHot = tf.cast(tf.oneHot(tf.tensor1d(values, 'int32'), classes), 'float32');
    const shifted = tf.sub(z, tf.max(z, 1, true));
    const logSoftmax = tf.sub(shifted, tf.log(tf.sum(tf.exp(shifted), 1, true)));
    save([logSoftmax, oneHot]);
    return {
      value: tf.div(tf.neg(tf.sum(tf.mul(oneHot, logSoftmax))), batch) as tf.Scalar,
      gradFunc: (dy: tf.Scalar, saved: tf.Tensor[]) => {
        const [savedLogSoftmax, savedOneHot] = saved as [tf.Tensor, tf.Tensor];
        return tf.mul(tf.sub(tf.exp(savedLogSoftmax), savedOneHot), tf.div(dy, batch));
      },
    };
  });
  return loss(logits) as tf.Scalar;
}

/** The values of an int32 label tensor [batch]; throws SHAPE_MISMATCH / BAD_ARGUMENT. */
function checkedLabelTensor(labels: tf.Tensor1D): Int32Array {
  if (labels.rank !== 1)
    throw new VoxlabError(
      'SHAPE_MISMATCH',
      `crossEntropyLoss: labels must be [batch], got [${labels.shape.join(', ')}]`,
    );
  if (labels.dtype !== 'int32')
    throw new VoxlabError('BAD_ARGUMENT', `crossEntropyLoss: labels must be int32, got ${labels.dtype}`);
  return labels.dataSync() as Int32Array;
}
