// The heatmap's colorbar: a title (method and explained class), the colormap as a vertical gradient with
// value ticks placed by value in the map's own units, the unit in words, and the hidden part (below the
// threshold) shaded and stated.

import { COLORMAPS, colorbarScale, sampleColormap, thresholdValue, type ColormapName } from './colormaps.js';

export interface ColorbarProps {
  readonly colormap: ColormapName;
  /** The map's value range (its own units, not normalised). */
  readonly min: number;
  readonly max: number;
  /** Fraction of the range hidden (see colormaps' OverlayRange). */
  readonly threshold: number;
  /** E.g. "Occlusion · class M". */
  readonly title: string;
  /** What the values measure, e.g. "drop in probability when the region is hidden". */
  readonly unit: string;
}

/** A value with 3 significant digits (JS prints 1.23e-7 style below 1e-6). */
const sig3 = (v: number): string => String(Number(v.toPrecision(3)));

export function Colorbar(props: ColorbarProps): React.JSX.Element {
  const { colormap, min, max, threshold, title, unit } = props;
  const stops = Array.from({ length: 17 }, (_, i) => {
    const [r, g, b] = sampleColormap(colormap, i / 16);
    return `rgb(${r},${g},${b}) ${(i / 16) * 100}%`;
  });
  const lower = thresholdValue({ min, max, threshold });
  const cut = max > min ? Math.min(100, Math.max(0, ((lower - min) / (max - min)) * 100)) : 0;
  const scale = colorbarScale(min, max);
  return (
    <figure
      className="colorbar"
      aria-label={`${COLORMAPS[colormap].label} colorbar from ${min} to ${max}`}
      data-testid="colorbar"
    >
      <figcaption className="colorbar-title" data-testid="colorbar-title">
        {title}
      </figcaption>
      <div className="colorbar-body">
        <div className="colorbar-ramp" style={{ background: `linear-gradient(to top, ${stops.join(', ')})` }}>
          <div className="colorbar-hidden" style={{ height: `${cut}%` }} />
        </div>
        <div className="colorbar-ticks" data-testid="colorbar-ticks">
          {scale.map((t) => (
            <span
              key={t.label}
              className="colorbar-tick"
              style={{ bottom: `${t.position * 100}%` }}
              data-value={t.value}
            >
              {t.label}
            </span>
          ))}
        </div>
      </div>
      <div className="colorbar-unit">{unit}</div>
      <div className="colorbar-unit">
        range {sig3(min)} to {sig3(max)} · hidden below {sig3(lower)}
      </div>
    </figure>
  );
}
