// Recording a forward on tfjs's gradient tape now and pulling it back with an upstream gradient later.
// tfjs has no public API for this (engine.gradients() records and backpropagates in one call), so this
// reaches into the engine's state: while state.gradientDepth > 0, every kernel appends a node to
// state.activeTape and keeps (tf.keep) the tensors its gradient needs; those kept tensors are freed
// when engine.gradients() at depth 0 finishes with the nodes on its tape. recordForward runs a forward
// with depth 1 on a fresh tape and takes the tape away; backpropRecorded hands it back to an
// engine.gradients() call whose f just returns the recorded output, so tfjs's own backprop (the same
// node filtering, gradient functions and accumulation order as when f runs the forward itself) yields
// the gradients and then frees the kept tensors. releaseRecorded frees them without a backward.

import * as tf from '@tensorflow/tfjs-core';
import { VoxlabError } from '../../common/errors.js';

interface TapeNodeLike {
  saved?: tf.Tensor[];
}

interface TapeEngine {
  state: { activeTape: TapeNodeLike[] | null; gradientDepth: number };
}

function tapeEngine(): TapeEngine {
  const engine = tf.engine() as unknown as Partial<TapeEngine>;
  if (engine.state == null || typeof engine.state.gradientDepth !== 'number')
    throw new VoxlabError('INTERNAL', 'tape: this tfjs engine has no gradientDepth/activeTape state');
  return engine as TapeEngine;
}

/** A forward recorded on its own gradient tape; pass it to backpropRecorded or releaseRecorded once. */
export interface RecordedForward {
  readonly output: tf.Tensor;
  /** Bytes the tape keeps alive beyond the output (tensors saved for the backward). */
  readonly bytes: number;
  readonly nodes: TapeNodeLike[];
}

/** Runs `forward` (which returns one new tensor) on a fresh gradient tape, outside any other tape. */
export function recordForward(forward: () => tf.Tensor): RecordedForward {
  const { state } = tapeEngine();
  if (state.gradientDepth !== 0)
    throw new VoxlabError('INTERNAL', 'recordForward: called inside another gradient computation');
  const before = tf.memory().numBytes;
  const nodes: TapeNodeLike[] = [];
  state.activeTape = nodes;
  state.gradientDepth++;
  let output: tf.Tensor;
  try {
    output = forward();
  } catch (e) {
    releaseNodes(nodes);
    throw e;
  } finally {
    state.gradientDepth--;
    state.activeTape = null;
  }
  const outputBytes = output.size * bytesPerElement(output.dtype);
  return { output, nodes, bytes: Math.max(0, tf.memory().numBytes - before - outputBytes) };
}

/**
 * Gradients of the recorded output, pulled back with `dy`, with respect to `xs` (tensors the recorded
 * forward read); frees the tape's kept tensors. The output itself stays alive (the caller owns it).
 */
export function backpropRecorded(
  recorded: RecordedForward,
  xs: tf.Tensor[],
  dy: tf.Tensor,
): (tf.Tensor | undefined)[] {
  const { state } = tapeEngine();
  if (state.gradientDepth !== 0)
    throw new VoxlabError('INTERNAL', 'backpropRecorded: called inside another gradient computation');
  const { grads } = tf.engine().gradients(
    () => {
      const tape = state.activeTape!;
      for (const node of recorded.nodes) tape.push(node);
      return recorded.output;
    },
    xs,
    dy,
  );
  return grads;
}

/** Frees the tensors a recorded tape keeps, without a backward (the output stays the caller's). */
export function releaseRecorded(recorded: RecordedForward): void {
  releaseNodes(recorded.nodes);
}

function releaseNodes(nodes: TapeNodeLike[]): void {
  for (const node of nodes) for (const t of node.saved ?? []) t.dispose();
  nodes.length = 0;
}

function bytesPerElement(dtype: tf.DataType): number {
  return dtype === 'complex64' ? 8 : dtype === 'bool' ? 1 : 4;
}
