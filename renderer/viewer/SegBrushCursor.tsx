// The brush outline: a circle following the mouse over a view while the brush or eraser is on, its radius
// the brush radius in mm at the view's current zoom (so it shows exactly what a click paints in the plane).
// Brush: the active segment's colour; eraser: white, dashed.

import { useEffect, useState, type RefObject } from 'react';
import { useSegmentationStore } from '../stores/useSegmentationStore.js';
import { useViewerStore, type ViewName } from '../stores/useViewerStore.js';
import { volumeViewport } from './cornerstone.js';
import { segmentColour } from './segColours.js';

/** Millimetres per screen (CSS) pixel of a view, from two canvas points 100 px apart; null before a volume. */
function mmPerPixel(view: ViewName): number | null {
  const vp = volumeViewport(view);
  if (vp === null) return null;
  const a = vp.canvasToWorld([0, 0]);
  const b = vp.canvasToWorld([100, 0]);
  const mm = Math.hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2]) / 100;
  return Number.isFinite(mm) && mm > 0 ? mm : null;
}

export function SegBrushCursor(props: {
  view: ViewName;
  elementRef: RefObject<HTMLDivElement | null>;
}): React.JSX.Element | null {
  const { view, elementRef } = props;
  const [at, setAt] = useState<{ x: number; y: number } | null>(null);
  const tool = useSegmentationStore((s) => s.tool);
  const radiusMm = useSegmentationStore((s) => s.radiusMm);
  const colour = useSegmentationStore((s) => segmentColour(s.segments, s.label));
  useViewerStore((s) => s.cameraVersion); // zoom changes the size on screen
  useEffect(() => {
    const element = elementRef.current;
    if (element === null) return;
    const move = (e: MouseEvent) => {
      const r = element.getBoundingClientRect();
      setAt({ x: e.clientX - r.left, y: e.clientY - r.top });
    };
    const leave = () => setAt(null);
    element.addEventListener('mousemove', move);
    element.addEventListener('mouseleave', leave);
    return () => {
      element.removeEventListener('mousemove', move);
      element.removeEventListener('mouseleave', leave);
    };
  }, [elementRef]);
  const mm = mmPerPixel(view);
  if (at === null || mm === null || tool === 'none') return null;
  const r = radiusMm / mm;
  const eraser = tool === 'eraser';
  return (
    <svg
      className="seg-brush-cursor"
      data-testid={`brush-cursor-${view}`}
      data-radius-px={r.toFixed(1)}
      aria-hidden="true"
    >
      <circle cx={at.x} cy={at.y} r={r} fill="none" stroke="#000" strokeOpacity={0.6} strokeWidth={3} />
      <circle
        cx={at.x}
        cy={at.y}
        r={r}
        fill="none"
        stroke={eraser ? '#fff' : colour}
        strokeWidth={1.5}
        strokeDasharray={eraser ? '4 3' : undefined}
      />
    </svg>
  );
}
