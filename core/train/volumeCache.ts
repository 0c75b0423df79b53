// A bounded least-recently-used cache of preprocessed volumes, so training streams scans from disk instead
// of holding a whole dataset in memory (MONAI Label users ran out of memory doing that: Project-MONAI/
// MONAILabel issue #1175). Small studies fit and are read once; large ones are re-read each epoch.

import { assert } from '../common/errors.js';
import type { Tensor } from '../transforms/tensor.js';

/** Counters for reports and tests. Bytes are float32 voxel bytes of cached tensors. */
export interface CacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly entries: number;
  readonly bytes: number;
  readonly peakBytes: number;
  readonly maxBytes: number;
}

/**
 * Loads tensors by key through `load` and keeps up to `maxBytes` of them, evicting the least recently used.
 * Concurrent gets of one key share one load. A tensor bigger than maxBytes is returned but not kept.
 * Callers must not modify returned tensors (they are shared); augmentations make copies.
 * A failed load is not cached: the next get retries.
 */
export class VolumeCache {
  private readonly entries = new Map<string, Tensor>();
  private readonly pending = new Map<string, Promise<Tensor>>();
  private bytes = 0;
  private peakBytes = 0;
  private hits = 0;
  private misses = 0;

  constructor(
    private readonly load: (key: string) => Promise<Tensor>,
    /** Most bytes kept (>= 0; 0 keeps nothing). */
    private readonly maxBytes: number,
  ) {
    assert(maxBytes >= 0, () => `VolumeCache: maxBytes must be >= 0, got ${maxBytes}`);
  }

  /** The tensor for `key`, from memory or loaded (and then cached if it fits). */
  async get(key: string): Promise<Tensor> {
    const cached = this.entries.get(key);
    if (cached !== undefined) {
      this.hits++;
      this.entries.delete(key); // re-insert: Map order is recency order
      this.entries.set(key, cached);
      return cached;
    }
    const inFlight = this.pending.get(key);
    if (inFlight !== undefined) return inFlight;
    this.misses++;
    const promise = this.load(key).then((t) => {
      this.keep(key, t);
      return t;
    });
    this.pending.set(key, promise);
    try {
      return await promise;
    } finally {
      this.pending.delete(key);
    }
  }

  /** Drops every cached tensor. */
  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  stats(): CacheStats {
    return {
      hits: this.hits,
      misses: this.misses,
      entries: this.entries.size,
      bytes: this.bytes,
      peakBytes: this.peakBytes,
      maxBytes: this.maxBytes,
    };
  }

  private keep(key: string, t: Tensor): void {
    const size = t.data.byteLength;
    if (size > this.maxBytes) return;
    for (const [oldKey, old] of this.entries) {
      if (this.bytes + size <= this.maxBytes) break;
      this.entries.delete(oldKey);
      this.bytes -= old.data.byteLength;
    }
    this.entries.set(key, t);
    this.bytes += size;
    this.peakBytes = Math.max(this.peakBytes, this.bytes);
  }
}
