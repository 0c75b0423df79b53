// Bounded concurrency for async work over a list (file reads, probes): libuv runs 4 file-system threads,
// so more parallel reads only queue.

/**
 * Runs `task` over `items`, at most `limit` at a time; results in input order. After a failure no new item
 * starts, and the first error is thrown once the running tasks have finished (so none outlives the call).
 */
export async function mapLimited<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (!failed && next < items.length) {
      const k = next++;
      try {
        out[k] = await task(items[k]!, k);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  const settled = await Promise.allSettled(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, lane));
  const rejected = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected !== undefined) throw rejected.reason;
  return out;
}
