// The viewer's presentation state: layout, window/level, per-view slice position and the cursor readout.
// Cornerstone's objects stay in renderer/viewer; this store holds numbers and names only.

import { create } from 'zustand';
import type { LayoutName } from '../viewer/layouts.js';
import type { VoiRange, WlPreset } from '../viewer/windowLevel.js';

export const VIEWS = ['axial', 'coronal', 'sagittal'] as const;
export type ViewName = (typeof VIEWS)[number];

export interface Readout {
  readonly view: ViewName;
  /** Voxel index in the file's own voxel order. */
  readonly ijk: readonly [number, number, number];
  /** World position, RAS mm (as the file's affine and most neuro tools report it). */
  readonly ras: readonly [number, number, number];
  readonly value: number;
}

export interface ViewerState {
  readonly layout: LayoutName;
  /** The view shown alone in the 1x1 layout and large in the primary one. */
  readonly focusView: ViewName;
  /** The id of the image whose volume is shown, once it is ready. */
  readonly loadedId: string | null;
  readonly loading: boolean;
  readonly error: string | null;
  readonly preset: WlPreset | 'custom';
  readonly voi: VoiRange | null;
  readonly slices: Readonly<Partial<Record<ViewName, { index: number; count: number }>>>;
  readonly readout: Readout | null;
  readonly crosshairs: boolean;
  /** Bumped on every camera change of any view (crosshair lines follow the other views). */
  readonly cameraVersion: number;
  /** Switches the layout, and the focus view when `view` is given. */
  setLayout(layout: LayoutName, view?: ViewName): void;
  setLoading(imageId: string | null): void;
  setLoaded(imageId: string, voi: VoiRange): void;
  setError(message: string | null): void;
  setVoi(voi: VoiRange, preset: WlPreset | 'custom'): void;
  setSlice(view: ViewName, index: number, count: number): void;
  setReadout(readout: Readout | null): void;
  toggleCrosshairs(): void;
  bumpCamera(): void;
  reset(): void;
}

const INITIAL = {
  layout: '1x3',
  focusView: 'axial',
  loadedId: null,
  loading: false,
  error: null,
  preset: 'auto',
  voi: null,
  slices: {},
  readout: null,
  crosshairs: false,
  cameraVersion: 0,
} as const satisfies Partial<ViewerState>;

export const useViewerStore = create<ViewerState>()((set) => ({
  ...INITIAL,
  setLayout: (layout, view) => set((s) => ({ layout, focusView: view ?? s.focusView })),
  setLoading: (imageId) => set({ loading: imageId !== null, error: null, ...(imageId !== null ? { loadedId: null, slices: {}, readout: null } : {}) }),
  setLoaded: (loadedId, voi) => set({ loadedId, voi, preset: 'auto', loading: false, error: null }),
  setError: (error) => set({ error, loading: false }),
  setVoi: (voi, preset) => set({ voi, preset }),
  setSlice: (view, index, count) => set((s) => ({ slices: { ...s.slices, [view]: { index, count } } })),
  setReadout: (readout) => set({ readout }),
  toggleCrosshairs: () => set((s) => ({ crosshairs: !s.crosshairs })),
  bumpCamera: () => set((s) => ({ cameraVersion: s.cameraVersion + 1 })),
  reset: () => set(INITIAL),
}));
