// Viewer layouts, as Slicer and OHIF offer them: one view, three side by side, or one large focus view with
// the other two stacked beside it (OHIF's "axial primary" MPR layout; Slicer's conventional layouts put
// one large view above smaller ones). Pure data and rules; app.css draws them.

import type { ViewName } from '../stores/useViewerStore.js';

export const LAYOUTS = {
  '1x3': { label: '1×3', title: 'Three views side by side' },
  primary: { label: '1+2', title: 'The focus view large, the other two beside it' },
  '1x1': { label: '1×1', title: 'The focus view alone' },
} as const;
export type LayoutName = keyof typeof LAYOUTS;
export const LAYOUT_NAMES = Object.keys(LAYOUTS) as LayoutName[];

/** True when `view` is not shown in `layout` with focus view `focus` (only the 1x1 layout hides views). */
export function paneHidden(layout: LayoutName, focus: ViewName, view: ViewName): boolean {
  return layout === '1x1' && view !== focus;
}

/** The grid slot of `view`: 'focus' (the large cell of the primary layout) or 'side'; null in the others. */
export function paneSlot(layout: LayoutName, focus: ViewName, view: ViewName): 'focus' | 'side' | null {
  if (layout !== 'primary') return null;
  return view === focus ? 'focus' : 'side';
}

/** The layout after `layout` in the M key's cycle (1x3 -> 1+2 -> 1x1 -> 1x3). */
export function nextLayout(layout: LayoutName): LayoutName {
  return LAYOUT_NAMES[(LAYOUT_NAMES.indexOf(layout) + 1) % LAYOUT_NAMES.length]!;
}
