import { describe, expect, it } from 'vitest';
import type { Tensor } from '../transforms/tensor.js';
import { VolumeCache } from './volumeCache.js';

/** A loader of 1 KiB tensors (256 float32) filled with the key's number, counting loads. */
function loader() {
  const loads: string[] = [];
  const load = async (key: string): Promise<Tensor> => {
    loads.push(key);
    return { shape: [1, 4, 8, 8], data: new Float32Array(256).fill(Number(key)) };
  };
  return { loads, load };
}

describe('VolumeCache', () => {
  it('keeps at most maxBytes, evicting the least recently used', async () => {
    const { loads, load } = loader();
    const cache = new VolumeCache(load, 2048); // room for two
    await cache.get('1');
    await cache.get('2');
    await cache.get('1'); // 1 is now the most recent
    await cache.get('3'); // evicts 2
    expect((await cache.get('1')).data[0]).toBe(1);
    await cache.get('2');
    expect(loads).toEqual(['1', '2', '3', '2']);
    expect(cache.stats()).toMatchObject({ entries: 2, bytes: 2048, peakBytes: 2048, hits: 2, misses: 4 });
  });

  it('shares one load between concurrent gets and keeps nothing with maxBytes 0', async () => {
    const { loads, load } = loader();
    const cache = new VolumeCache(load, 0);
    const [a, b] = await Promise.all([cache.get('7'), cache.get('7')]);
    expect(a).toBe(b);
    await cache.get('7');
    expect(loads).toEqual(['7', '7']);
    expect(cache.stats().bytes).toBe(0);
  });

  it('does not cache a failed load', async () => {
    let fail = true;
    const cache = new VolumeCache(async () => {
      if (fail) throw new Error('disk');
      return { shape: [1], data: new Float32Array(1) };
    }, 1024);
    await expect(cache.get('x')).rejects.toThrow('disk');
    fail = false;
    await expect(cache.get('x')).resolves.toMatchObject({ shape: [1] });
  });
});
