// Open classifiers kept by their owner (a server, a CLI run) under a key, so a model is loaded once and
// reused; the owner closes them all with dispose(). ONNX sessions are closed by their owner (STYLE.md).

import { VoxlabError } from '../common/errors.js';
import type { Classifier } from './classifier.js';

/** A cache of classifiers by key (e.g. a model id, or a file path with its modification time). */
export class ClassifierCache {
  private readonly entries = new Map<string, Promise<Classifier>>();
  private disposed = false;

  /** The classifier under `key`, opened by `open` on first use. A failed open is not cached. */
  get(key: string, open: () => Promise<Classifier>): Promise<Classifier> {
    if (this.disposed)
      return Promise.reject(new VoxlabError('BAD_ARGUMENT', 'ClassifierCache.get: the cache was disposed'));
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = open();
      this.entries.set(key, entry);
      entry.catch(() => this.entries.delete(key)); // the caller sees the error; a later get retries
    }
    return entry;
  }

  /** Closes and forgets the classifier under `key`, if any. */
  async evict(key: string): Promise<void> {
    const entry = this.entries.get(key);
    this.entries.delete(key);
    if (entry !== undefined) await (await entry).dispose();
  }

  /** Closes every classifier; later gets reject. Idempotent. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const all = [...this.entries.values()];
    this.entries.clear();
    const settled = await Promise.allSettled(all);
    for (const s of settled) if (s.status === 'fulfilled') await s.value.dispose();
  }

  get size(): number {
    return this.entries.size;
  }
}
