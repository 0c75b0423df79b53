import { describe, expect, it } from 'vitest';
import { mapLimited } from './mapLimited.js';

describe('mapLimited', () => {
  it('keeps input order and never runs more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const out = await mapLimited([5, 1, 4, 2, 3], 2, async (x, i) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, x));
      running--;
      return x * 10 + i;
    });
    expect(out).toEqual([50, 11, 42, 23, 34]);
    expect(most).toBe(2);
  });

  it('throws the first failure after the running tasks end, and starts no new one', async () => {
    const started: number[] = [];
    let running = 0;
    const p = mapLimited([1, 2, 3, 4, 5, 6], 2, async (x) => {
      started.push(x);
      running++;
      await new Promise((r) => setTimeout(r, 5));
      running--;
      if (x === 2) throw new Error('two');
      return x;
    });
    await expect(p).rejects.toThrow('two');
    expect(running).toBe(0);
    expect(started.length).toBeLessThan(6);
  });
});
