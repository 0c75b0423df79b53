// Issue #18: a cancel (an abort raised by a macrotask: SIGINT, SIGTERM, the worker's 'cancel' message) lands
// within one step even when nothing in a step waits for I/O (every volume cached, a step that resolves at
// once): the batch loop yields to the event loop before each step.

import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LabeledImage } from './dataset.js';
import { predictLogits, trainEpoch } from './epoch.js';
import { VolumeCache } from './volumeCache.js';

const SIZE = 4;
const items: LabeledImage[] = Array.from({ length: 40 }, (_, i) => ({ id: `s${i}`, path: `/nowhere/s${i}.nii`, label: i % 2 ? 'b' : 'a', classIndex: i % 2 }));

/** A cache already holding every volume (what a later epoch sees). */
async function warmCache(): Promise<VolumeCache> {
  const cache = new VolumeCache(async () => ({ shape: [1, SIZE, SIZE, SIZE], data: new Float32Array(SIZE ** 3) }), 1 << 30);
  for (const item of items) await cache.get(item.id);
  return cache;
}

/**
 * An abort that a macrotask raises as soon as the event loop gets a turn, as a signal handler would; `at()`
 * reads `count()` at the moment it was raised (-1 before).
 */
function abortOnNextTurn(count: () => number): { controller: AbortController; at: () => number } {
  const controller = new AbortController();
  let at = -1;
  controller.signal.addEventListener('abort', () => (at = count()));
  setTimeout(() => controller.abort(), 0);
  return { controller, at: () => at };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('cancelling the batch loop with every volume cached', () => {
  it('training stops within one step', async () => {
    const cache = await warmCache();
    let steps = 0;
    const { controller, at } = abortOnNextTurn(() => steps);
    const run = trainEpoch(
      {
        cache,
        batchSize: 2,
        classes: 2,
        signal: controller.signal,
        seed: 1,
        augment: { rotate90: null, flip: null },
        step: async () => {
          steps++; // an instant step: nothing here gives the event loop a turn
          return { loss: 0.5, logits: new Float32Array([0, 1, 1, 0]) };
        },
      },
      items,
      3,
      () => undefined,
    );
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(at()).toBeGreaterThanOrEqual(0);
    expect(steps - at()).toBeLessThanOrEqual(1); // the whole epoch (20 steps) ran without the yield
  });

  it('validation stops within one batch', async () => {
    const cache = await warmCache();
    let batches = 0;
    const { controller, at } = abortOnNextTurn(() => batches);
    const run = predictLogits(
      {
        cache,
        batchSize: 2,
        classes: 2,
        signal: controller.signal,
        predict: () => {
          batches++;
          return new Float32Array(4);
        },
      },
      items,
      () => undefined,
    );
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(at()).toBeGreaterThanOrEqual(0);
    expect(batches - at()).toBeLessThanOrEqual(1);
  });
});
