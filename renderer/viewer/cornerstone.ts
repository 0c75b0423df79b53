// Cornerstone3D runtime for the viewer: one-time init, our colormaps, the rendering engine with the three
// orthographic viewports, and the tool group (pan, zoom, wheel scroll). The left button is ours: window/level
// (linked over all views, windowLevelDrag.ts), crosshairs, painting or a measurement, in ViewportPane.

import {
  Enums,
  RenderingEngine,
  cache,
  getRenderingEngine,
  imageLoader,
  init as initCore,
  utilities,
  type Types,
} from '@cornerstonejs/core';
import {
  Enums as ToolEnums,
  PanTool,
  StackScrollTool,
  ToolGroupManager,
  ZoomTool,
  addTool,
  init as initTools,
} from '@cornerstonejs/tools';
import type { ViewName } from '../stores/useViewerStore.js';
import { COLORMAPS, toRegistration, type ColormapName } from './colormaps.js';

/** The scheme of our volume ids (`voxlab:scan:<id>`) and of the slices Cornerstone derives from them. */
export const IMAGE_SCHEME = 'voxlab';
export const ENGINE_ID = 'voxlab-engine';
export const TOOL_GROUP_ID = 'voxlab-mpr';
export const viewportId = (view: ViewName): string => `voxlab-${view}`;

const ORIENTATION: Record<ViewName, Enums.OrientationAxis> = {
  axial: Enums.OrientationAxis.AXIAL,
  coronal: Enums.OrientationAxis.CORONAL,
  sagittal: Enums.OrientationAxis.SAGITTAL,
};

let ready = false;

/** Initialises Cornerstone core and tools once and registers our colormaps. */
export function ensureCornerstone(): void {
  if (ready) return;
  initCore();
  initTools();
  // Our volumes are local (built from the core's voxels); their slices are in the cache already. Cornerstone
  // still asks a loader for one of them (default VOI of a middle slice): answer from the cache.
  imageLoader.registerImageLoader(IMAGE_SCHEME, (imageId: string) => {
    const image = cache.getImage(imageId);
    return {
      promise: image !== undefined ? Promise.resolve(image) : Promise.reject(new Error(`no cached slice ${imageId}`)),
    } as unknown as Types.IImageLoadObject;
  });
  for (const name of Object.keys(COLORMAPS) as ColormapName[]) utilities.colormap.registerColormap(toRegistration(name));
  for (const tool of [PanTool, ZoomTool, StackScrollTool]) addTool(tool);
  ready = true;
}

/** The rendering engine with one orthographic viewport per element; replaces any previous one. */
export function createEngine(elements: Readonly<Record<ViewName, Types.PublicViewportInput['element']>>): RenderingEngine {
  ensureCornerstone();
  getRenderingEngine(ENGINE_ID)?.destroy();
  const engine = new RenderingEngine(ENGINE_ID);
  engine.setViewports(
    (Object.keys(elements) as ViewName[]).map((view) => ({
      viewportId: viewportId(view),
      type: Enums.ViewportType.ORTHOGRAPHIC,
      element: elements[view],
      defaultOptions: { orientation: ORIENTATION[view], background: [0, 0, 0] as Types.Point3 },
    })),
  );
  setupTools(Object.keys(elements) as ViewName[]);
  return engine;
}

/**
 * Middle drag: pan, right: zoom, wheel: scroll. Cornerstone's WindowLevelTool is not used: it changes one
 * viewport and tells no store, while Slicer and OHIF link W/L over the views of a scan.
 */
function setupTools(views: readonly ViewName[]): void {
  ToolGroupManager.destroyToolGroup(TOOL_GROUP_ID);
  const group = ToolGroupManager.createToolGroup(TOOL_GROUP_ID)!;
  group.addTool(PanTool.toolName);
  group.addTool(ZoomTool.toolName);
  group.addTool(StackScrollTool.toolName);
  for (const view of views) group.addViewport(viewportId(view), ENGINE_ID);
  const { MouseBindings } = ToolEnums;
  group.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: MouseBindings.Auxiliary }] });
  group.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: MouseBindings.Secondary }] });
  group.setToolActive(StackScrollTool.toolName, { bindings: [{ mouseButton: MouseBindings.Wheel }] });
}

/** The volume viewport of `view`, when the engine exists. */
export function volumeViewport(view: ViewName): Types.IVolumeViewport | null {
  const vp = getRenderingEngine(ENGINE_ID)?.getViewport(viewportId(view));
  return (vp as Types.IVolumeViewport | undefined) ?? null;
}

/**
 * Lets Cornerstone measure the canvases again (after a window resize or a layout change) while every view
 * keeps its slice, its centre point and its zoom relative to the fitted image, as OHIF keeps a viewport's
 * presentation: Cornerstone alone either resets the cameras or keeps the old parallel scale, which shrinks
 * a view that grew. Hidden (zero-size) panes are left as they are until shown.
 */
export function resizeKeepingZoom(engine: RenderingEngine): void {
  const views = engine.getViewports() as Types.IVolumeViewport[];
  const zooms = views.map((vp) => vp.getZoom());
  engine.resize(true, true);
  views.forEach((vp, n) => {
    const zoom = zooms[n]!;
    if (vp.element.clientWidth === 0 || !(Number.isFinite(zoom) && zoom > 0)) return;
    vp.setZoom(zoom);
    vp.render();
  });
}
