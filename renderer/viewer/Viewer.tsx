// The MPR viewer: three linked orthographic views (or one), fed with volumes decoded by our core; keeps the
// viewer store's window/level, slices and readout in step with Cornerstone, and shows the heatmap overlay.

import { useCallback, useEffect, useRef, useState } from 'react';
import { setVolumesForViewports, utilities } from '@cornerstonejs/core';
import { core } from '../api/core.js';
import { describeScanError } from '../api/describeError.js';
import { reopenSelected } from '../features/studyList/reopen.js';
import { useStudyStore } from '../stores/useStudyStore.js';
import { VIEWS, useViewerStore, type ViewName } from '../stores/useViewerStore.js';
import { createEngine, resizeKeepingZoom, viewportId, volumeViewport } from './cornerstone.js';
import { paneHidden } from './layouts.js';
import { viewHasPixels } from './viewHasPixels.js';
import { worldToFileIndex, valueAt, lpsToRas, type WorldLps } from './geometry.js';
import { useSegmentationStore } from '../stores/useSegmentationStore.js';
import { endStroke, paintAt } from './labelmap.js';
import { useHeatmapOverlay } from './useHeatmapOverlay.js';
import { ViewportPane } from './ViewportPane.js';
import { loadedVolume, scanVolumeId, toCornerstoneVolume } from './volumes.js';
import { presetRange } from './windowLevel.js';

/** Renders every view now (after a property change). */
export function renderViews(): void {
  for (const view of VIEWS) volumeViewport(view)?.render();
}

/**
 * Takes every scan and overlay off the views, so nothing of the previous scan stays on screen while the next
 * one loads, or when it cannot be opened (issue #10: never show one scan's pixels under another's name).
 */
export function clearViews(): void {
  for (const view of VIEWS) {
    const vp = volumeViewport(view);
    if (vp === null) continue;
    vp.removeAllActors();
    vp.render();
  }
}

/** `onStrokeEnd`: a paint stroke changed the labelmap (the app saves it). */
export function Viewer(props: { onStrokeEnd?: () => void }): React.JSX.Element {
  const { onStrokeEnd } = props;
  const axial = useRef<HTMLDivElement>(null);
  const coronal = useRef<HTMLDivElement>(null);
  const sagittal = useRef<HTMLDivElement>(null);
  const refs = { axial, coronal, sagittal };
  const [engineVersion, setEngineVersion] = useState(0);
  const hovered = useRef<ViewName>('axial');
  const selectedId = useStudyStore((s) => s.selectedId);
  const { layout, focusView, loading, error, loadedId, voi } = useViewerStore();

  useEffect(() => {
    const engine = createEngine({ axial: axial.current!, coronal: coronal.current!, sagittal: sagittal.current! });
    setEngineVersion((v) => v + 1);
    // A window resize keeps each view's slice, centre and zoom (Cornerstone's resize resets or shrinks them).
    const resize = () => resizeKeepingZoom(engine);
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      engine.destroy();
    };
  }, []);

  // Open the selected image: core -> float32 voxels -> Cornerstone volume on all three views.
  useEffect(() => {
    if (selectedId === null || engineVersion === 0) return;
    let stale = false;
    const store = useViewerStore.getState();
    store.setLoading(selectedId);
    clearViews();
    (async () => {
      const answer = await core().datastore.volume({ imageId: selectedId });
      if (stale) return;
      const volume = toCornerstoneVolume(scanVolumeId(selectedId), answer);
      const engine = volumeViewport('axial')?.getRenderingEngine();
      if (engine === undefined) return;
      await setVolumesForViewports(engine, [{ volumeId: volume.volumeId }], VIEWS.map(viewportId));
      if (stale) return;
      const range = presetRange('auto', volume.meta.stats);
      for (const view of VIEWS) {
        const vp = volumeViewport(view);
        if (vp === null) continue;
        vp.setProperties({ voiRange: range }, volume.volumeId);
        // Start on a slice: the initial focal point may fall between two slices, which renders nothing.
        await utilities.jumpToSlice(vp.element, { imageIndex: Math.floor(vp.getNumberOfSlices() / 2) });
      }
      renderViews();
      // A view stays black until a later render (the volume texture is uploaded during the first ones):
      // draw again on the next frames until the scan is on the canvas (at most 3; an all-black scan stops
      // there), then say the image is ready.
      for (let frame = 0; frame < 3; frame++) {
        await new Promise((r) => requestAnimationFrame(r));
        renderViews();
        const { layout: shown, focusView: focus } = useViewerStore.getState();
        if (viewHasPixels(VIEWS.find((v) => !paneHidden(shown, focus, v)) ?? 'axial')) break;
      }
      useViewerStore.getState().setLoaded(selectedId, range);
      document.body.dataset.imageReady = selectedId;
    })().catch((e: unknown) => {
      if (stale) return;
      clearViews();
      useViewerStore.getState().setError(describeScanError(selectedId, e));
    });
    return () => {
      stale = true;
      delete document.body.dataset.imageReady;
    };
  }, [selectedId, engineVersion]);

  // Window/level from the store (presets, auto) onto every view.
  useEffect(() => {
    if (loadedId === null || voi === null) return;
    for (const view of VIEWS) volumeViewport(view)?.setProperties({ voiRange: voi }, scanVolumeId(loadedId));
    renderViews();
  }, [voi, loadedId]);

  // A layout change resizes the panes; Cornerstone measures the canvases again, keeping every camera.
  useEffect(() => {
    const engine = volumeViewport('axial')?.getRenderingEngine();
    if (engine === undefined) return;
    requestAnimationFrame(() => resizeKeepingZoom(engine));
  }, [layout, focusView, engineVersion]);

  useHeatmapOverlay(loadedId);

  const onPointer = useCallback((view: ViewName, x: number, y: number) => {
    const id = useViewerStore.getState().loadedId;
    const vp = volumeViewport(view);
    const volume = id === null ? null : loadedVolume(scanVolumeId(id));
    if (vp === null || volume === null) return;
    const world = vp.canvasToWorld([x, y]) as unknown as WorldLps;
    const hit = valueAt(volume.fileData, volume.meta.shape, worldToFileIndex(volume.fileAffineInverse, world));
    useViewerStore.getState().setReadout(hit === null ? null : { view, ijk: hit.ijk, ras: lpsToRas(world), value: hit.value });
  }, []);

  // Crosshair mode: a left click (or drag) in one view moves the other two to that point.
  const onCrosshair = useCallback((view: ViewName, x: number, y: number) => {
    if (!useViewerStore.getState().crosshairs || useViewerStore.getState().loadedId === null) return;
    if (useSegmentationStore.getState().tool !== 'none') return; // painting owns the left button
    const world = volumeViewport(view)?.canvasToWorld([x, y]);
    if (world === undefined) return;
    for (const other of VIEWS) {
      if (other === view) continue;
      const vp = volumeViewport(other);
      if (vp === null) continue;
      vp.jumpToWorld(world);
      vp.render();
    }
  }, []);

  // Painting: brush or eraser under the pointer; the stroke ends (and is saved) on mouse up anywhere.
  const onPaint = useCallback((view: ViewName, x: number, y: number) => {
    if (useSegmentationStore.getState().tool === 'none' || useViewerStore.getState().loadedId === null) return;
    const vp = volumeViewport(view);
    const normal = vp?.getCamera().viewPlaneNormal;
    if (vp === null || normal === undefined) return;
    paintAt(vp.canvasToWorld([x, y]) as unknown as WorldLps, normal as unknown as [number, number, number], view);
  }, []);
  useEffect(() => {
    const onUp = () => {
      if (endStroke()) onStrokeEnd?.();
    };
    window.addEventListener('mouseup', onUp);
    return () => window.removeEventListener('mouseup', onUp);
  }, [onStrokeEnd]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement || e.target instanceof HTMLTextAreaElement) return;
      const step = { ArrowUp: -1, ArrowDown: 1, PageUp: -10, PageDown: 10 }[e.key];
      if (step === undefined) return;
      const view = useViewerStore.getState().layout === '1x1' ? useViewerStore.getState().focusView : hovered.current;
      const vp = volumeViewport(view);
      if (vp === null || useViewerStore.getState().loadedId === null) return;
      e.preventDefault();
      vp.scroll(step);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className={`viewer layout-${layout}`} data-testid="viewer" data-shown-image={loadedId ?? ''}>
      {VIEWS.map((view) => (
        <ViewportPane
          key={view}
          view={view}
          elementRef={refs[view]}
          hidden={paneHidden(layout, focusView, view)}
          onHover={(v) => (hovered.current = v)}
          onPointer={onPointer}
          onCrosshair={onCrosshair}
          onPaint={onPaint}
          engineVersion={engineVersion}
        />
      ))}
      {selectedId === null && <div className="viewer-empty">Choose a scan in the study list (or press N for the next unlabeled one).</div>}
      {loading && <div className="viewer-status">Loading volume…</div>}
      {error !== null && (
        <div className="viewer-status error" role="alert" data-testid="scan-error">
          <strong>Could not open {selectedId ?? 'the scan'}.</strong> {error}
          <div className="muted">Nothing is shown, and labeling, painting and explaining are off for this scan until it opens.</div>
          <button onClick={reopenSelected}>Try again</button>
        </div>
      )}
    </div>
  );
}
