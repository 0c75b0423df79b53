// An SVG line chart for training curves: several series over epochs on one [yMin, yMax] scale (accuracy
// and AUC on [0, 1]), whole-epoch x ticks, and axis titles (x: epoch; y: what is plotted).

import { colorbarTicks } from '../../viewer/colormaps.js';
import { xTicks } from './chartTicks.js';

export interface Series {
  readonly name: string;
  readonly color: string;
  readonly points: readonly (readonly [number, number])[];
  readonly dashed?: boolean;
}

/** viewBox size; the chart is drawn at the panel's width (about 320 px), so units are about pixels. */
const W = 320;
const H = 220;
const PAD = { l: 46, r: 8, t: 8, b: 36 };

export function LineChart(props: {
  series: readonly Series[];
  xMax: number;
  yMin: number;
  yMax: number;
  /** The chart's name (data-testid chart-<label>). */
  label: string;
  /** The y axis title, e.g. "loss (cross-entropy)". */
  yTitle: string;
}): React.JSX.Element {
  const { series, xMax, yMin, yMax, label, yTitle } = props;
  const sx = (x: number) => PAD.l + (x / Math.max(xMax, 1)) * (W - PAD.l - PAD.r);
  const sy = (y: number) => H - PAD.b - ((y - yMin) / (yMax - yMin || 1)) * (H - PAD.t - PAD.b);
  const ticks = colorbarTicks(yMin, yMax, 4); // round values (0, 0.5, 1, ...) inside [yMin, yMax]
  return (
    <figure className="chart" aria-label={label}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" data-testid={`chart-${label}`}>
        <rect x={PAD.l} y={PAD.t} width={W - PAD.l - PAD.r} height={H - PAD.t - PAD.b} className="chart-bg" />
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.l} x2={W - PAD.r} y1={sy(t)} y2={sy(t)} className="chart-grid" />
            <text x={PAD.l - 4} y={sy(t) + 3.5} className="chart-tick" textAnchor="end">
              {Number(t.toPrecision(3))}
            </text>
          </g>
        ))}
        {xTicks(xMax).map((x) => (
          <text key={x} x={sx(x)} y={H - PAD.b + 13} className="chart-tick" textAnchor="middle">
            {x}
          </text>
        ))}
        <text x={PAD.l + (W - PAD.l - PAD.r) / 2} y={H - 4} className="chart-axis" textAnchor="middle">
          epoch
        </text>
        <text x={12} y={PAD.t + (H - PAD.t - PAD.b) / 2} className="chart-axis" textAnchor="middle" transform={`rotate(-90 12 ${PAD.t + (H - PAD.t - PAD.b) / 2})`}>
          {yTitle}
        </text>
        {series.map((s) =>
          s.points.length === 0 ? null : (
            <g key={s.name}>
              <polyline
                fill="none"
                stroke={s.color}
                strokeWidth={s.dashed ? 1 : 2}
                strokeDasharray={s.dashed ? '3 2' : undefined}
                points={s.points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ')}
              />
              {!s.dashed && s.points.map(([x, y], i) => <circle key={i} cx={sx(x)} cy={sy(y)} r={2.5} fill={s.color} />)}
            </g>
          ),
        )}
      </svg>
      <figcaption>
        {series.map((s) => (
          <span key={s.name} className="legend">
            <i style={{ background: s.color }} /> {s.name}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
