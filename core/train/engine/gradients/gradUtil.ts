// Helpers shared by our gradient functions (./*.ts): reading dy, undoing broadcasting, normalising axes.
// Written from the math of each op, not copied from tfjs-core's gradients (which plain Node cannot load).

import * as tf from '@tensorflow/tfjs-core';
import type { GradFunc, NamedAttrMap } from '@tensorflow/tfjs-core';

/** What a gradient function returns: one thunk per kernel input name, each giving d(loss)/d(input). */
export type GradientMap = ReturnType<GradFunc>;

/** The single dy of a one-output kernel (the engine passes an array only for multi-output kernels). */
export function oneDy(dy: tf.Tensor | tf.Tensor[]): tf.Tensor {
  if (Array.isArray(dy)) {
    if (dy.length !== 1) throw new Error(`gradient: expected one dy, got ${dy.length}`);
    return dy[0]!;
  }
  return dy;
}

/**
 * The gradient of a broadcast operand: `g` has the broadcast result's shape; an operand of `shape` was
 * repeated along the leading axes it lacks and along its size-1 axes, so the chain rule sums g over those
 * axes (numpy broadcasting rules). Always returns a new tensor (the tape may dispose g).
 */
export function reduceToShape(g: tf.Tensor, shape: readonly number[]): tf.Tensor {
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  if (axes.length === 0) return tf.reshape(g, [...shape]);
  return tf.reshape(isLeading(axes) ? sumLeadingAxes(g, axes.length) : tf.sum(g, axes), [...shape]);
}

/** True when `axes` (sorted) are 0, 1, ..., k-1. */
function isLeading(axes: readonly number[]): boolean {
  return axes.every((a, i) => a === i);
}

/**
 * Sum over the first `count` axes, as ones[1, rows] x g[rows, cols] (a BatchNorm's per-channel sum over
 * [batch, depth, height, width]). The wasm backend's Sum transposes non-innermost axes first: 1.7 s for a
 * [2, 24^3, 256] tensor, against 6 ms for this matrix product (XNNPACK); both accumulate in float32.
 */
function sumLeadingAxes(g: tf.Tensor, count: number): tf.Tensor {
  const rows = g.shape.slice(0, count).reduce((a, b) => a * b, 1);
  return tf.matMul(tf.ones([1, rows]), tf.reshape(g, [rows, g.size / rows]));
}

/** Reduction axes as non-negative, sorted, unique indices; null/undefined/[] mean every axis (tfjs). */
export function normalizeAxes(axis: number | readonly number[] | null | undefined, rank: number): number[] {
  const list = axis == null ? [] : typeof axis === 'number' ? [axis] : [...axis];
  if (list.length === 0) return Array.from({ length: rank }, (_, i) => i);
  const axes = list.map((a) => {
    if (!Number.isInteger(a) || a < -rank || a >= rank)
      throw new Error(`gradient: bad axis ${a} for rank ${rank}`);
    return a < 0 ? a + rank : a;
  });
  return [...new Set(axes)].sort((a, b) => a - b);
}

/**
 * dy of a reduction over `axes` brought back to the input's shape: each input element receives the dy of
 * the output element it was reduced into. Leading axes (BatchNorm's statistics): the outer product
 * ones[rows, 1] x dy[1, cols]; otherwise ones(x) * dy broadcast. (The wasm backend's Tile, behind
 * tf.broadcastTo, takes 0.9 s for [2, 24^3, 256]; these take 30-50 ms.)
 */
export function expandReduced(dy: tf.Tensor, xShape: readonly number[], axes: readonly number[]): tf.Tensor {
  if (isLeading(axes)) {
    const rows = xShape.slice(0, axes.length).reduce((a, b) => a * b, 1);
    return tf.reshape(tf.matMul(tf.ones([rows, 1]), tf.reshape(dy, [1, dy.size])), [...xShape]);
  }
  const kept = xShape.map((n, i) => (axes.includes(i) ? 1 : n));
  return tf.mul(tf.ones([...xShape]), tf.reshape(dy, kept));
}

/**
 * x[begin : begin + size] (tfjs slice semantics, sizes explicit) as one 2-D slice per axis that is cut:
 * x viewed as [outer, axisLength * inner] loses columns. The wasm backend's Slice walks 5-D tensors element
 * by element (5.3 s for [2, 24^3, 256]); its 2-D slice copies rows (31 ms).
 */
export function sliceByAxes(x: tf.Tensor, begin: readonly number[], size: readonly number[]): tf.Tensor {
  let current = x;
  for (let axis = 0; axis < x.rank; axis++) {
    if (begin[axis] === 0 && size[axis] === current.shape[axis]) continue;
    const outer = current.shape.slice(0, axis).reduce((a, b) => a * b, 1);
    const inner = current.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    const flat = tf.reshape(current, [outer, current.shape[axis]! * inner]);
    const cut = tf.slice(flat, [0, begin[axis]! * inner], [outer, size[axis]! * inner]);
    current = tf.reshape(
      cut,
      current.shape.map((n, i) => (i === axis ? size[axis]! : n)),
    );
  }
  return current === x ? tf.clone(x) : current;
}

/** A number or a per-axis list as a list of `rank` numbers. */
export function perAxis(value: number | readonly number[], rank: number): number[] {
  return typeof value === 'number' ? new Array<number>(rank).fill(value) : [...value];
}

/** The attributes AvgPool3DGrad / MaxPool3DGrad take, picked from a pooling kernel's attributes. */
export function poolAttrs(attrs: NamedAttrMap): NamedAttrMap {
  const { filterSize, strides, pad, dimRoundingMode } = attrs;
  const picked: NamedAttrMap = { filterSize: filterSize!, strides: strides!, pad: pad! };
  if (dimRoundingMode != null) picked.dimRoundingMode = dimRoundingMode;
  return picked;
}
