// The heatmap's colorbar: the colormap as a vertical gradient with value ticks; the hidden part (below the
// threshold) is shaded.

import { COLORMAPS, colorbarTicks, sampleColormap, thresholdValue, type ColormapName } from './colormaps.js';

export function Colorbar(props: { colormap: ColormapName; min: number; max: number; threshold: number }): React.JSX.Element {
  const { colormap, min, max, threshold } = props;
  const stops = Array.from({ length: 17 }, (_, i) => {
    const [r, g, b] = sampleColormap(colormap, i / 16);
    return `rgb(${r},${g},${b}) ${(i / 16) * 100}%`;
  });
  const cut = max > min ? ((thresholdValue({ min, max, threshold }) - min) / (max - min)) * 100 : 0;
  return (
    <div className="colorbar" aria-label={`${COLORMAPS[colormap].label} colorbar from ${min} to ${max}`} data-testid="colorbar">
      <div className="colorbar-ramp" style={{ background: `linear-gradient(to top, ${stops.join(', ')})` }}>
        <div className="colorbar-hidden" style={{ height: `${cut}%` }} />
      </div>
      <div className="colorbar-ticks">
        {colorbarTicks(min, max)
          .reverse()
          .map((t, i) => (
            <span key={i}>{t}</span>
          ))}
      </div>
    </div>
  );
}
