// The labelmap drawn over one view: each pixel of a half-resolution canvas looks up the labelmap voxel under
// it (a linear map from canvas pixels to grid indices, from three canvasToWorld calls), coloured by its
// segment's colour, visibility and opacity. While an older version is previewed, that version is drawn
// (and a badge says so). Nothing is drawn while the labelmap is empty (slice changes stay cheap).

import { useEffect, useMemo, useRef } from 'react';
import { lookOf, useSegmentationStore } from '../stores/useSegmentationStore.js';
import type { ViewName } from '../stores/useViewerStore.js';
import { worldToGridIndex } from './brush.js';
import { volumeViewport } from './cornerstone.js';
import type { WorldLps } from './geometry.js';
import { currentLabelmap, displayedLabelmap } from './labelmap.js';
import { overlayLookupTable } from './segColours.js';

/** Screen pixels per labelmap canvas pixel. */
const SCALE = 2;

export function LabelmapCanvas(props: { view: ViewName; version: number }): React.JSX.Element {
  const ref = useRef<HTMLCanvasElement>(null);
  const revision = useSegmentationStore((s) => s.revision);
  const segments = useSegmentationStore((s) => s.segments);
  const looks = useSegmentationStore((s) => s.looks);
  const preview = useSegmentationStore((s) => s.preview);
  const table = useMemo(() => overlayLookupTable(segments, (v) => lookOf(looks, v)), [segments, looks]);
  useEffect(() => {
    const canvas = ref.current;
    const vp = volumeViewport(props.view);
    const lm = currentLabelmap();
    const data = displayedLabelmap();
    if (canvas === null) return;
    const w = Math.ceil(canvas.clientWidth / SCALE);
    const h = Math.ceil(canvas.clientHeight / SCALE);
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    const ctx = canvas.getContext('2d');
    if (ctx === null) return;
    ctx.clearRect(0, 0, w, h);
    if (vp === null || lm === null || data === null || w === 0 || h === 0) return;
    const g = lm.geometry;
    const at = (x: number, y: number) =>
      worldToGridIndex(g, vp.canvasToWorld([(x + 0.5) * SCALE, (y + 0.5) * SCALE]) as unknown as WorldLps);
    const o = at(0, 0);
    const ax = at(1, 0).map((v, i) => v - o[i]!);
    const ay = at(0, 1).map((v, i) => v - o[i]!);
    const [nx, ny, nz] = g.dimensions;
    const image = ctx.createImageData(w, h);
    const px = new Uint32Array(image.data.buffer);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = Math.round(o[0] + x * ax[0]! + y * ay[0]!);
        const j = Math.round(o[1] + x * ax[1]! + y * ay[1]!);
        const k = Math.round(o[2] + x * ax[2]! + y * ay[2]!);
        if (i < 0 || j < 0 || k < 0 || i >= nx || j >= ny || k >= nz) continue;
        const v = data[i + nx * (j + ny * k)]!;
        if (v !== 0) px[y * w + x] = table[v]!;
      }
    }
    ctx.putImageData(image, 0, 0);
  }, [props.view, props.version, revision, table]);
  return (
    <>
      <canvas
        ref={ref}
        className="labelmap-canvas"
        data-testid={`labelmap-${props.view}`}
        aria-hidden="true"
      />
      {preview !== null && <div className="seg-preview-badge">Previewing labelmap version {preview}</div>}
    </>
  );
}
