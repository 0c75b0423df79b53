// The heatmap overlay (fusion): the shown stored map (explain.open by map id) as a second volume on every
// view, drawn signed (diverging blue-white-red centred on 0, opacity growing with |value|: issue #16) or with
// the chosen sequential colormap, opacity and threshold (values under it transparent, so zeros do not tint
// the scan), optionally only inside the scan's head (foreground mask).

import { useEffect, useRef } from 'react';
import { addVolumesToViewports, utilities, type Types } from '@cornerstonejs/core';
import type { Binary, MapSummary, VolumeMeta } from '../../core/api/index.js';
import { storedMapValues } from './storedMap.js';
import { describeError } from '../api/describeError.js';
import { foregroundMask, maskOutside } from '../features/explain/foregroundMask.js';
import { shownMap, useExplainStore } from '../stores/useExplainStore.js';
import { VIEWS } from '../stores/useViewerStore.js';
import { SIGNED_COLORMAP, csColormapName, drawsSigned, signedBound, signedOpacity, thresholdValue } from './colormaps.js';
import { viewportId, volumeViewport } from './cornerstone.js';
import { loadedVolume, mapVolumeId, scanVolumeId, toCornerstoneVolume } from './volumes.js';

/** The factor maps are divided by on the GPU: their largest magnitude (1 for an all-zero map). */
const scaleOf = signedBound;

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

/**
 * The transfer functions of the overlay: signed = the diverging map over [-1, 1] (the normalised map is
 * symmetric about 0) with opacity growing with |value| (colormaps' signedOpacity, no one-sided threshold);
 * positive only = the chosen colormap over the map's range, flat opacity above the threshold.
 */
function applyLook(volumeId: string, mapMin: number, mapMax: number, signed: boolean): void {
  const { colormap, opacity, threshold } = useExplainStore.getState();
  const scale = scaleOf(mapMin, mapMax);
  const [min, max] = [mapMin / scale, mapMax / scale];
  const lower = thresholdValue({ min, max, threshold });
  for (const view of VIEWS) {
    const vp = volumeViewport(view);
    if (vp === null) continue;
    if (signed) {
      vp.setProperties(
        { colormap: { name: csColormapName(SIGNED_COLORMAP), opacity: 1, opacityMapping: signedOpacity(threshold, opacity) }, voiRange: { lower: -1, upper: 1 } },
        volumeId,
      );
      // setProperties keeps a threshold set earlier ("positive only"), which would hide the negative half.
      const entry = actorOf(vp, volumeId);
      if (entry !== undefined) utilities.colormap.updateThreshold(entry.actor, null);
    } else {
      // An empty opacity mapping drops the signed one, so the threshold and the flat opacity apply again.
      vp.setProperties(
        { colormap: { name: csColormapName(colormap), opacity, opacityMapping: [], threshold: lower }, voiRange: { lower: min, upper: max > min ? max : min + 1 } },
        volumeId,
      );
    }
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

/** The head mask of the last scan it was asked for (about 2 s for a 256 x 256 x 150 scan, so kept). */
let lastMask: { readonly imageId: string; readonly mask: Uint8Array } | null = null;

/** The shown map's values (storedMap.ts: toggling "only inside the head" or visibility does not fetch it again). */
const mapValues = storedMapValues;

/** The scan's head mask (file voxel order); throws in words when the map is not on the scan's grid. */
function headMask(imageId: string, map: VolumeMeta): Uint8Array {
  const scan = loadedVolume(scanVolumeId(imageId));
  if (scan === null) throw new Error(`the scan ${imageId} is not loaded`);
  if (scan.meta.shape.some((n, i) => n !== map.shape[i]))
    throw new Error(`the map's grid [${map.shape.join(', ')}] is not the scan's [${scan.meta.shape.join(', ')}], so the head cannot be masked`);
  if (lastMask?.imageId !== imageId) lastMask = { imageId, mask: foregroundMask(scan.fileData, scan.meta.shape) };
  return lastMask.mask;
}

/** The overlay's values: normalised, and outside the head set to a value the look always hides. */
function overlayValues(answer: Binary<VolumeMeta>, map: MapSummary, imageId: string, insideHead: boolean, signed: boolean): Binary<VolumeMeta> {
  const values = normalised(answer, map.min, map.max);
  if (!insideHead) return values;
  // Signed: 0 is transparent. Positive only: zero is hidden when the map has positive values, the minimum
  // when it has none (thresholdValue).
  const outside = signed ? 0 : Math.min(0, map.min) / scaleOf(map.min, map.max);
  const masked = maskOutside(new Float32Array(values.data), headMask(imageId, answer.meta), outside);
  return { meta: values.meta, data: masked.buffer as ArrayBuffer };
}

/** Keeps the overlay of the shown stored map (if any, and visible) on the views of image `loadedId`. */
export function useHeatmapOverlay(loadedId: string | null): void {
  const map = useExplainStore(shownMap);
  const visible = useExplainStore((s) => s.visible);
  const insideHead = useExplainStore((s) => s.insideHead);
  const signMode = useExplainStore((s) => s.signMode);
  const signed = map !== null && drawsSigned(map, signMode);
  const look = useExplainStore((s) => `${s.colormap}|${s.opacity}|${s.threshold}`);
  const onScreen = useRef<string | null>(null);

  useEffect(() => {
    // A flat map (min = max) has nothing to show: drawn, it would tint the whole scan one colour.
    const drawable = map !== null && map.max > map.min && map.imageId === loadedId;
    // Masked values depend on the look (overlayValues), so a masked volume is made per look.
    const wanted = loadedId !== null && visible && drawable ? `${mapVolumeId(map.id)}${insideHead ? (signed ? ':head:signed' : ':head') : ''}` : null;
    if (onScreen.current !== null && onScreen.current !== wanted) {
      removeOverlay(onScreen.current);
      onScreen.current = null;
      delete document.body.dataset.overlay;
      delete document.body.dataset.overlayMasked;
      delete document.body.dataset.overlaySigned;
    }
    if (wanted === null || onScreen.current === wanted || map === null || loadedId === null) return;
    let stale = false;
    (async () => {
      const answer = await mapValues(map.id);
      if (stale) return;
      toCornerstoneVolume(wanted, overlayValues(answer, map, loadedId, insideHead, signed));
      const engine = volumeViewport('axial')?.getRenderingEngine();
      if (engine === undefined) return;
      await addVolumesToViewports(engine, [{ volumeId: wanted, visibility: true }], VIEWS.map(viewportId)); // addVolumes hides actors unless told
      if (stale) return;
      onScreen.current = wanted;
      applyLook(wanted, map.min, map.max, signed);
      // As with the scan, a new volume's texture is ready only after its first render: draw once more.
      await new Promise((r) => requestAnimationFrame(r));
      applyLook(wanted, map.min, map.max, signed);
      document.body.dataset.overlay = map.id;
      document.body.dataset.overlayMasked = String(insideHead);
      document.body.dataset.overlaySigned = String(signed);
    })().catch((e: unknown) => useExplainStore.getState().setProblem(`Could not show the map: ${describeError(e)}`));
    return () => {
      stale = true;
    };
  }, [map, visible, loadedId, insideHead, signed]);

  useEffect(() => {
    const ids = map === null ? [] : [mapVolumeId(map.id), `${mapVolumeId(map.id)}:head`, `${mapVolumeId(map.id)}:head:signed`];
    if (onScreen.current === null || map === null || !ids.includes(onScreen.current)) return;
    applyLook(onScreen.current, map.min, map.max, signed);
    document.body.dataset.overlaySigned = String(signed);
  }, [look, map, signed]);
}
