// The heatmap overlay (fusion): the shown explanation map as a second volume on every view, drawn with the
// chosen colormap, opacity and threshold (values under it transparent, so zeros do not tint the scan).

import { useEffect, useRef } from 'react';
import { addVolumesToViewports } from '@cornerstonejs/core';
import { core } from '../api/core.js';
import { describeError } from '../api/describeError.js';
import { useExplainStore } from '../stores/useExplainStore.js';
import { VIEWS } from '../stores/useViewerStore.js';
import { csColormapName, thresholdValue } from './colormaps.js';
import { viewportId, volumeViewport } from './cornerstone.js';
import { mapVolumeId, toCornerstoneVolume } from './volumes.js';

function applyLook(volumeId: string, min: number, max: number): void {
  const { colormap, opacity, threshold } = useExplainStore.getState();
  const lower = thresholdValue({ min, max, threshold });
  for (const view of VIEWS) {
    const vp = volumeViewport(view);
    if (vp === null) continue;
    vp.setProperties(
      { colormap: { name: csColormapName(colormap), opacity, threshold: lower }, voiRange: { lower: min, upper: max > min ? max : min + 1 } },
      volumeId,
    );
    vp.render();
  }
}

function removeOverlay(volumeId: string): void {
  for (const view of VIEWS) {
    const vp = volumeViewport(view);
    if (vp === null || vp.getActor(volumeId) === undefined) continue;
    vp.removeVolumeActors([volumeId]);
    vp.render();
  }
}

/** Keeps the overlay of the shown map (if any, and visible) on the views of image `loadedId`. */
export function useHeatmapOverlay(loadedId: string | null): void {
  const shownJobId = useExplainStore((s) => s.shownJobId);
  const visible = useExplainStore((s) => s.visible);
  const look = useExplainStore((s) => `${s.colormap}|${s.opacity}|${s.threshold}`);
  const onScreen = useRef<string | null>(null);

  useEffect(() => {
    const map = useExplainStore.getState().maps.find((m) => m.jobId === shownJobId);
    const wanted = loadedId !== null && visible && map !== undefined && map.imageId === loadedId ? mapVolumeId(map.jobId) : null;
    if (onScreen.current !== null && onScreen.current !== wanted) {
      removeOverlay(onScreen.current);
      onScreen.current = null;
      delete document.body.dataset.overlay;
    }
    if (wanted === null || onScreen.current === wanted || map === undefined) return;
    let stale = false;
    (async () => {
      const answer = await core().explain.map({ jobId: map.jobId });
      if (stale) return;
      toCornerstoneVolume(wanted, answer);
      const engine = volumeViewport('axial')?.getRenderingEngine();
      if (engine === undefined) return;
      await addVolumesToViewports(engine, [{ volumeId: wanted }], VIEWS.map(viewportId));
      if (stale) return;
      onScreen.current = wanted;
      applyLook(wanted, map.min, map.max);
      document.body.dataset.overlay = map.jobId;
    })().catch((e: unknown) => useExplainStore.getState().setProblem(`Could not show the map: ${describeError(e)}`));
    return () => {
      stale = true;
    };
  }, [shownJobId, visible, loadedId]);

  useEffect(() => {
    const map = useExplainStore.getState().maps.find((m) => m.jobId === shownJobId);
    if (onScreen.current !== null && map !== undefined && onScreen.current === mapVolumeId(map.jobId)) applyLook(onScreen.current, map.min, map.max);
  }, [look, shownJobId]);
}
