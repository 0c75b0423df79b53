import { describe, expect, it } from 'vitest';
import type { Classifier } from './classifier.js';
import { ClassifierCache } from './ClassifierCache.js';

/** A stand-in classifier that counts its disposals. */
function fake(): Classifier & { disposed: number } {
  return {
    inputShape: [1, 2, 2, 2],
    classes: ['a', 'b'],
    engine: 'fake',
    disposed: 0,
    predict: (_b, n) => Promise.resolve(new Float32Array(2 * n)),
    async dispose() {
      this.disposed++;
    },
  };
}

describe('ClassifierCache', () => {
  it('opens a key once, retries a failed open, and closes everything on dispose', async () => {
    const cache = new ClassifierCache();
    const made: ReturnType<typeof fake>[] = [];
    const open = () => Promise.resolve(made[made.push(fake()) - 1]!);
    const [a, b] = await Promise.all([cache.get('m1', open), cache.get('m1', open)]);
    expect(a).toBe(b);
    expect(made).toHaveLength(1);
    await expect(cache.get('bad', () => Promise.reject(new Error('no such model')))).rejects.toThrow(
      'no such model',
    );
    await cache.get('bad', open);
    expect(cache.size).toBe(2);
    await cache.evict('m1');
    expect(made[0]!.disposed).toBe(1);
    await cache.dispose();
    expect(made.map((c) => c.disposed)).toEqual([1, 1]);
    await expect(cache.get('m1', open)).rejects.toThrow(/disposed/);
  });
});
