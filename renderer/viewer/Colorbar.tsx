// The heatmap's colorbar: a title (method and explained class), the colormap as a vertical gradient with
// value ticks placed by value in the map's own units, the unit in words, and the hidden part (below the
// threshold) shaded and stated. Signed maps (issue #16) get the diverging scale over ±max|value| with 0
// marked and the sign in words.

import { COLORMAPS, colorbarScale, drawnColormap, sampleColormap, signedBound, thresholdValue, type ColormapName } from './colormaps.js';

export interface ColorbarProps {
  /** The sequential colormap (ignored when `signed`: the diverging one is drawn). */
  readonly colormap: ColormapName;
  /** The map's value range (its own units, not normalised). */
  readonly min: number;
  readonly max: number;
  /** Fraction of the range hidden (see colormaps' OverlayRange; for signed maps, of max |value|). */
  readonly threshold: number;
  /** E.g. "Occlusion · class M". */
  readonly title: string;
  /** What the values measure, e.g. "drop in probability when the region is hidden". */
  readonly unit: string;
  /** Drawn signed: blue-white-red over [-bound, bound], 0 in the middle. */
  readonly signed?: boolean;
  /** How to read the sign, e.g. "red: hiding this region lowers p(class); blue: raises it" (signed only). */
  readonly signWords?: string;
}

/** A value with 3 significant digits (JS prints 1.23e-7 style below 1e-6). */
const sig3 = (v: number): string => String(Number(v.toPrecision(3)));

/** The bar's ends, the shaded (hidden) band as [bottom, top] percentages, and the words about the hidden part. */
function layout(props: ColorbarProps): { low: number; high: number; band: [number, number]; hidden: string } {
  const { min, max, threshold, signed } = props;
  if (signed === true) {
    const bound = signedBound(min, max);
    const cut = Math.min(Math.max(threshold, 0.001), 0.999);
    const half = cut * 50;
    return { low: -bound, high: bound, band: [50 - half, 50 + half], hidden: `hidden between ${sig3(-cut * bound)} and ${sig3(cut * bound)}` };
  }
  const lower = thresholdValue({ min, max, threshold });
  const cut = max > min ? Math.min(100, Math.max(0, ((lower - min) / (max - min)) * 100)) : 0;
  return { low: min, high: max, band: [0, cut], hidden: `hidden below ${sig3(lower)}` };
}

export function Colorbar(props: ColorbarProps): React.JSX.Element {
  const { colormap, min, max, title, unit, signed = false, signWords } = props;
  const shown = drawnColormap(signed, colormap);
  const stops = Array.from({ length: 17 }, (_, i) => {
    const [r, g, b] = sampleColormap(shown, i / 16);
    return `rgb(${r},${g},${b}) ${(i / 16) * 100}%`;
  });
  const { low, high, band, hidden } = layout(props);
  const scale = colorbarScale(low, high);
  return (
    <figure
      className="colorbar"
      aria-label={`${COLORMAPS[shown].label} colorbar from ${sig3(low)} to ${sig3(high)}`}
      data-testid="colorbar"
      data-signed={String(signed)}
    >
      <figcaption className="colorbar-title" data-testid="colorbar-title">
        {title}
      </figcaption>
      <div className="colorbar-body">
        <div className="colorbar-ramp" style={{ background: `linear-gradient(to top, ${stops.join(', ')})` }}>
          <div className="colorbar-hidden" style={{ bottom: `${band[0]}%`, height: `${band[1] - band[0]}%` }} />
          {signed && (
            <div
              className="colorbar-zero"
              data-testid="colorbar-zero"
              title="0: hiding the region did not change the output"
              style={{ position: 'absolute', left: 0, right: 0, bottom: '50%', borderTop: '2px solid #fff', boxShadow: '0 0 0 1px #000' }}
            />
          )}
        </div>
        <div className="colorbar-ticks" data-testid="colorbar-ticks">
          {scale.map((t) => (
            <span
              key={t.label}
              className={t.value === 0 && signed ? 'colorbar-tick colorbar-tick-zero' : 'colorbar-tick'}
              style={{ bottom: `${t.position * 100}%`, ...(t.value === 0 && signed ? { fontWeight: 'bold' } : {}) }}
              data-value={t.value}
            >
              {t.label}
            </span>
          ))}
        </div>
      </div>
      <div className="colorbar-unit">{unit}</div>
      {signed && signWords !== undefined && (
        <div className="colorbar-unit colorbar-sign" data-testid="colorbar-sign">
          {signWords}
        </div>
      )}
      <div className="colorbar-unit">
        range {sig3(min)} to {sig3(max)} · {hidden}
      </div>
    </figure>
  );
}
