// Axis ticks of the training charts.

/** At most about eight whole-epoch ticks from 0 to `xMax` (at least 0 and 1). */
export function xTicks(xMax: number): number[] {
  const top = Math.max(1, Math.ceil(xMax));
  const step = Math.max(1, Math.ceil(top / 8));
  const ticks: number[] = [];
  for (let x = 0; x <= top; x += step) ticks.push(x);
  return ticks;
}

/** The top of a y axis holding values up to `v` > 0: `v` rounded up to half its power of ten (0.72 -> 0.75). */
export function niceUpper(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) return 1;
  const step = 10 ** Math.floor(Math.log10(v)) / 2;
  return Number((Math.ceil(v / step - 1e-9) * step).toPrecision(6));
}
