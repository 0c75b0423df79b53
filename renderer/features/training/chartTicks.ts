// Axis ticks of the training charts.

/** At most about eight whole-epoch ticks from 0 to `xMax` (at least 0 and 1). */
export function xTicks(xMax: number): number[] {
  const top = Math.max(1, Math.ceil(xMax));
  const step = Math.max(1, Math.ceil(top / 8));
  const ticks: number[] = [];
  for (let x = 0; x <= top; x += step) ticks.push(x);
  return ticks;
}
