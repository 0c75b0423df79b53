// The viewer's own keys (the app's key handler asks here first): layouts (M cycles, V cycles the focus
// view), the left-button tool (W window/level, L length, E ellipse, Q rectangle) and Esc for a half-drawn
// measurement. Keys arrive lower-cased, without modifiers.

import { useMeasureStore, type MeasureKind } from '../stores/useMeasureStore.js';
import { VIEWS, useViewerStore } from '../stores/useViewerStore.js';
import { nextLayout } from './layouts.js';

export const TOOL_KEYS: Readonly<Record<string, MeasureKind | 'none'>> = { w: 'none', l: 'length', e: 'ellipse', q: 'rectangle' };

/** Handles `key` when it is one of the viewer's; true when it did. */
export function handleViewerKey(key: string): boolean {
  const viewer = useViewerStore.getState();
  const tool = TOOL_KEYS[key];
  if (tool !== undefined) {
    useMeasureStore.getState().setTool(useMeasureStore.getState().tool === tool ? 'none' : tool);
    return true;
  }
  if (key === 'm') {
    viewer.setLayout(nextLayout(viewer.layout));
    return true;
  }
  if (key === 'v') {
    viewer.setLayout(viewer.layout === '1x3' ? '1x1' : viewer.layout, VIEWS[(VIEWS.indexOf(viewer.focusView) + 1) % VIEWS.length]!);
    return true;
  }
  return false;
}

/** Esc: drops the measurement being drawn; true when there was one. */
export function escapeMeasure(): boolean {
  if (useMeasureStore.getState().draft === null) return false;
  useMeasureStore.getState().cancelDraft();
  return true;
}
