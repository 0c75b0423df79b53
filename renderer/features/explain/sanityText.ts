// A map's sanity check in one line of words (issue #16; core/explain/sanity), for the map list.

import type { MapSanity } from '../../../core/api/index.js';

/** The verdict line of one map, e.g. "Sanity check: passed (rank correlation 0.12 with every layer randomized)", or "not run". */
export function sanityText(s: MapSanity | null): string {
  if (s === null) return 'Sanity check: not run';
  const figures = [
    ...(s.lastSpearman !== null
      ? [`rank correlation ${s.lastSpearman.toFixed(2)} with every layer randomized`]
      : []),
    ...(s.dataSpearman !== null ? [`${s.dataSpearman.toFixed(2)} with shuffled labels`] : []),
  ];
  return `Sanity check: ${s.verdict}${figures.length > 0 ? ` (${figures.join(', ')})` : ''}`;
}
