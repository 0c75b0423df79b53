// Cornerstone3D runtime for the viewer: one-time init, our colormaps, the rendering engine with the three
// orthographic viewports, and the tool group (window/level, pan, zoom, wheel scroll).

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
  WindowLevelTool,
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
  for (const tool of [WindowLevelTool, PanTool, ZoomTool, StackScrollTool]) addTool(tool);
  ready = true;
}

/** The rendering engine with one orthographic viewport per element; replaces any previous one. */
export function createEngine(elements: Readonly<Record<ViewName, HTMLDivElement>>): RenderingEngine {
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

/** Left drag: window/level, middle: pan, right: zoom, wheel: scroll. */
function setupTools(views: readonly ViewName[]): void {
  ToolGroupManager.destroyToolGroup(TOOL_GROUP_ID);
  const group = ToolGroupManager.createToolGroup(TOOL_GROUP_ID)!;
  group.addTool(WindowLevelTool.toolName);
  group.addTool(PanTool.toolName);
  group.addTool(ZoomTool.toolName);
  group.addTool(StackScrollTool.toolName);
  for (const view of views) group.addViewport(viewportId(view), ENGINE_ID);
  const { MouseBindings } = ToolEnums;
  group.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: MouseBindings.Auxiliary }] });
  group.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: MouseBindings.Secondary }] });
  group.setToolActive(StackScrollTool.toolName, { bindings: [{ mouseButton: MouseBindings.Wheel }] });
  setPrimaryTool('windowLevel');
}

/**
 * What the left mouse button does: window/level (Cornerstone's tool) or nothing of Cornerstone's ('none'),
 * when our handlers in Viewer own it: crosshairs (move the other views to the clicked point; Cornerstone's
 * CrosshairsTool did not react to clicks on volumes built locally, so it is not used) or painting.
 */
export function setPrimaryTool(tool: 'windowLevel' | 'none'): void {
  const group = ToolGroupManager.getToolGroup(TOOL_GROUP_ID);
  if (group === undefined) return;
  if (tool === 'none') group.setToolPassive(WindowLevelTool.toolName);
  else group.setToolActive(WindowLevelTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Primary }] });
}

/** The volume viewport of `view`, when the engine exists. */
export function volumeViewport(view: ViewName): Types.IVolumeViewport | null {
  const vp = getRenderingEngine(ENGINE_ID)?.getViewport(viewportId(view));
  return (vp as Types.IVolumeViewport | undefined) ?? null;
}
