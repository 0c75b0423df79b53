// Summaries of a run's epoch rows for the panel: the epoch to star as best and the validation size (n)
// shown beside every validation metric.

import type { EpochRow } from '../../stores/useTrainStore.js';

/**
 * The best epoch to star: the one core/train chose for the run's model (metrics.bestEpoch) once the run is
 * listed, else the first epoch with the highest validation accuracy.
 */
export function bestEpoch(rows: readonly EpochRow[], metrics: unknown): number | null {
  const chosen = (metrics ?? {}) as { bestEpoch?: unknown };
  if (typeof chosen.bestEpoch === 'number' && rows.some((r) => r.epoch === chosen.bestEpoch))
    return chosen.bestEpoch;
  let best: EpochRow | null = null;
  for (const r of rows)
    if (r.valAccuracy !== null && (best === null || r.valAccuracy > best.valAccuracy!)) best = r;
  return best?.epoch ?? null;
}

/** "n = 2" (or "n = 2–3" when epochs differ) over the validated epochs; '' when none was validated. */
export function valSize(rows: readonly EpochRow[]): string {
  const ns = rows.map((r) => r.valN).filter((n): n is number => n !== null);
  if (ns.length === 0) return '';
  const [lo, hi] = [Math.min(...ns), Math.max(...ns)];
  return lo === hi ? `n = ${lo}` : `n = ${lo}–${hi}`;
}
