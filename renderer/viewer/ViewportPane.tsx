// One view of the layout: the Cornerstone element, its orientation letters, slice position, zoom and title,
// and the left button's job in it (leftButton.ts: window/level, measuring; the Viewer's: crosshairs, paint).
// Camera changes (scroll, zoom, crosshairs) update the letters, the slice counter and the zoom.

import { useEffect, useState, type RefObject } from 'react';
import { Enums } from '@cornerstonejs/core';
import { useViewerStore, type ViewName } from '../stores/useViewerStore.js';
import { volumeViewport } from './cornerstone.js';
import { useSegmentationStore } from '../stores/useSegmentationStore.js';
import { useMeasureStore } from '../stores/useMeasureStore.js';
import { CrosshairLines } from './CrosshairLines.js';
import { paneSlot } from './layouts.js';
import { leftButtonMode, measureDown, measureMove, measureUp, startWindowLevelDrag } from './leftButton.js';
import { MeasureOverlay } from './MeasureOverlay.js';
import { LabelmapCanvas } from './LabelmapCanvas.js';
import { SegBrushCursor } from './SegBrushCursor.js';
import { orientationMarkers, type Vec3 } from './orientation.js';

const TITLES: Record<ViewName, string> = { axial: 'Axial', coronal: 'Coronal', sagittal: 'Sagittal' };

export function ViewportPane(props: {
  view: ViewName;
  elementRef: RefObject<HTMLDivElement | null>;
  hidden: boolean;
  onHover: (view: ViewName) => void;
  onPointer: (view: ViewName, x: number, y: number) => void;
  onCrosshair: (view: ViewName, x: number, y: number) => void;
  onPaint: (view: ViewName, x: number, y: number) => void;
  engineVersion: number;
}): React.JSX.Element {
  const { view, elementRef, hidden, onHover, onPointer, onCrosshair, onPaint, engineVersion } = props;
  const painting = useSegmentationStore((s) => s.tool !== 'none');
  const measuring = useMeasureStore((s) => s.tool !== 'none') && !painting;
  const crosshairs = useViewerStore((s) => s.crosshairs);
  const cameraVersion = useViewerStore((s) => s.cameraVersion);
  const [markers, setMarkers] = useState<ReturnType<typeof orientationMarkers> | null>(null);
  const slice = useViewerStore((s) => s.slices[view]);
  const loadedId = useViewerStore((s) => s.loadedId);
  const slot = useViewerStore((s) => paneSlot(s.layout, s.focusView, view));
  const [zoom, setZoom] = useState<{ zoom: number; scale: number } | null>(null);
  useEffect(() => {
    if (loadedId === null) return;
    window.addEventListener('mouseup', measureUp);
    return () => window.removeEventListener('mouseup', measureUp);
  }, [loadedId]);

  useEffect(() => {
    const element = elementRef.current;
    if (element === null) return;
    const apply = () => {
      pending = 0;
      const vp = volumeViewport(view);
      if (vp === null) return;
      const cam = vp.getCamera();
      if (cam.viewUp !== undefined && cam.viewPlaneNormal !== undefined)
        setMarkers(orientationMarkers(cam.viewUp as unknown as Vec3, cam.viewPlaneNormal as unknown as Vec3));
      const count = vp.getNumberOfSlices();
      // Cornerstone's index is NaN along an axis of one slice (its step is 0): that slice is the first.
      const index = vp.getSliceIndex();
      if (count > 0) useViewerStore.getState().setSlice(view, Number.isFinite(index) ? index : 0, count);
      // Zoom relative to the fitted view, and the camera's parallel scale (half the view height, mm).
      setZoom({ zoom: vp.getZoom(), scale: cam.parallelScale ?? 0 });
      useViewerStore.getState().bumpCamera();
    };
    // A slice change fires CAMERA_MODIFIED and VOLUME_NEW_IMAGE: one store update per frame is enough.
    let pending = 0;
    const update = () => {
      if (pending === 0) pending = requestAnimationFrame(apply);
    };
    element.addEventListener(Enums.Events.CAMERA_MODIFIED, update);
    element.addEventListener(Enums.Events.VOLUME_NEW_IMAGE, update);
    apply();
    return () => {
      cancelAnimationFrame(pending);
      element.removeEventListener(Enums.Events.CAMERA_MODIFIED, update);
      element.removeEventListener(Enums.Events.VOLUME_NEW_IMAGE, update);
    };
  }, [view, elementRef, engineVersion, loadedId]);

  return (
    <section
      className={`viewport-pane${hidden ? ' hidden' : ''}${painting ? ' painting' : ''}${slot !== null ? ` slot-${slot}` : ''}${measuring ? ' measuring' : ''}`}
      data-view={view}
      aria-label={`${TITLES[view]} view`}
    >
      <div
        className="viewport-element"
        ref={elementRef}
        onContextMenu={(e) => e.preventDefault()}
        onMouseEnter={() => onHover(view)}
        onMouseMove={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          onPointer(view, e.clientX - r.left, e.clientY - r.top);
          const mode = leftButtonMode();
          if (mode === 'measure') measureMove(view, e.clientX - r.left, e.clientY - r.top);
          if (e.buttons !== 1) return;
          if (mode === 'crosshairs') onCrosshair(view, e.clientX - r.left, e.clientY - r.top);
          if (mode === 'paint') onPaint(view, e.clientX - r.left, e.clientY - r.top);
        }}
        onMouseDown={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          if (e.button !== 0) return;
          const mode = leftButtonMode();
          if (mode === 'windowLevel') startWindowLevelDrag(e.currentTarget, e.clientX, e.clientY);
          if (mode === 'measure') measureDown(view, e.clientX - r.left, e.clientY - r.top);
          if (mode === 'crosshairs') onCrosshair(view, e.clientX - r.left, e.clientY - r.top);
          if (mode === 'paint') onPaint(view, e.clientX - r.left, e.clientY - r.top);
        }}
      />
      {loadedId !== null && !hidden && <LabelmapCanvas view={view} version={cameraVersion} />}
      {painting && loadedId !== null && !hidden && <SegBrushCursor view={view} elementRef={elementRef} />}
      {crosshairs && loadedId !== null && !hidden && <CrosshairLines view={view} version={cameraVersion} />}
      {loadedId !== null && !hidden && <MeasureOverlay view={view} version={cameraVersion} />}
      <div className="viewport-title">{TITLES[view]}</div>
      {slice !== undefined && loadedId !== null && (
        <div className="viewport-slice" data-testid={`slice-${view}`}>
          {slice.index + 1} / {slice.count}
        </div>
      )}
      {zoom !== null && loadedId !== null && (
        <div className="viewport-zoom" data-testid={`zoom-${view}`} data-zoom={zoom.zoom} data-scale={zoom.scale} title="Zoom (right drag); R resets">
          ×{zoom.zoom.toFixed(2)}
        </div>
      )}
      {markers !== null && loadedId !== null && (
        <>
          <span className="marker marker-top" data-testid={`marker-${view}-top`}>{markers.top}</span>
          <span className="marker marker-bottom" data-testid={`marker-${view}-bottom`}>{markers.bottom}</span>
          <span className="marker marker-left" data-testid={`marker-${view}-left`}>{markers.left}</span>
          <span className="marker marker-right" data-testid={`marker-${view}-right`}>{markers.right}</span>
        </>
      )}
    </section>
  );
}
