// The heatmap overlay (fusion): the shown explanation map as a second volume on every view, drawn with the
// chosen colormap, opacity and threshold (values under it transparent, so zeros do not tint the scan).

import { useEffect, useRef } from 'react';
import { addVolumesToViewports, type Types } from '@cornerstonejs/core';
import type { Binary, VolumeMeta } from '../../core/api/index.js';
import { core } from '../api/core.js';
import { describeError } from '../api/describeError.js';
import { useExplainStore } from '../stores/useExplainStore.js';
import { VIEWS } from '../stores/useViewerStore.js';
import { csColormapName, thresholdValue } from './colormaps.js';
import { viewportId, volumeViewport } from './cornerstone.js';
import { mapVolumeId, toCornerstoneVolume } from './volumes.js';

/** The factor maps are divided by on the GPU: their largest magnitude (1 for an all-zero map). */
const scaleOf = (min: number, max: number) => Math.max(Math.abs(min), Math.abs(max)) || 1;

/**
 * The overlay volume holds the map divided by its largest magnitude (maps can span 1e-4, which the GPU's
 * transfer functions render as nothing); zero stays zero, so thresholds keep their meaning. The colorbar
 * shows the original values.
 */
function normalised(answer: Binary<VolumeMeta>, min: number, max: number): Binary<VolumeMeta> {
  const src = new Float32Array(answer.data);
  const scale = scaleOf(min, max);
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = Number.isFinite(src[i]!) ? src[i]! / scale : 0;
  return { meta: answer.meta, data: out.buffer };
}

function applyLook(volumeId: string, mapMin: number, mapMax: number): void {
  const { colormap, opacity, threshold } = useExplainStore.getState();
  const scale = scaleOf(mapMin, mapMax);
  const [min, max] = [mapMin / scale, mapMax / scale];
  const lower = thresholdValue({ min, max, threshold });
  for (const view of VIEWS) {
    const vp = volumeViewport(view);
    if (vp === null) continue;
    vp.setProperties(
      { colormap: { name: csColormapName(colormap), opacity, threshold: lower }, voiRange: { lower: min, upper: max > min ? max : min + 1 } },
      volumeId,
    );
    // vtk.js composites a slab thinner than one sample with opacity 1 - (1 - a)^(slab / sample distance),
    // after scaling the transfer function by sample distance / unit distance: with both distances equal to
    // the slab, the reader sees the slider's opacity (else 60 % shows as about 5 %).
    const actor = actorOf(vp, volumeId)?.actor as
      | { getMapper(): { setSampleDistance(d: number): void }; getProperty(): { setScalarOpacityUnitDistance(c: number, d: number): void } }
      | undefined;
    const slab = vp.getSlabThickness();
    if (actor !== undefined && slab > 0) {
      actor.getMapper().setSampleDistance(slab);
      actor.getProperty().setScalarOpacityUnitDistance(0, slab);
    }
    vp.render();
  }
}

/** The actor showing `volumeId` (actors added by addVolumes get their own uid; referencedId is the volume). */
function actorOf(vp: Types.IVolumeViewport, volumeId: string): Types.ActorEntry | undefined {
  return vp.getActors().find((a) => a.referencedId === volumeId || a.uid === volumeId);
}

function removeOverlay(volumeId: string): void {
  for (const view of VIEWS) {
    const vp = volumeViewport(view);
    const entry = vp === null ? undefined : actorOf(vp, volumeId);
    if (vp === null || entry === undefined) continue;
    vp.removeVolumeActors([entry.uid]);
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
      toCornerstoneVolume(wanted, normalised(answer, map.min, map.max));
      const engine = volumeViewport('axial')?.getRenderingEngine();
      if (engine === undefined) return;
      await addVolumesToViewports(engine, [{ volumeId: wanted, visibility: true }], VIEWS.map(viewportId)); // addVolumes hides actors unless told
      if (stale) return;
      onScreen.current = wanted;
      applyLook(wanted, map.min, map.max);
      // As with the scan, a new volume's texture is ready only after its first render: draw once more.
      await new Promise((r) => requestAnimationFrame(r));
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
