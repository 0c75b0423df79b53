// Segmentation of the open scan: the tool (brush, eraser or none), brush size, label value, the saved
// labelmap version, and save state. The voxels live in renderer/viewer/labelmap.ts, not here.

import { create } from 'zustand';

export type SegTool = 'none' | 'brush' | 'eraser';

export interface SegmentationState {
  readonly tool: SegTool;
  readonly radiusMm: number;
  readonly label: number;
  readonly imageId: string | null;
  /** The labelmap version on the core (0 = none saved yet); sent back as expectedVersion. */
  readonly version: number;
  /** Bumped on every change of the voxels (redraws the overlay). */
  readonly revision: number;
  readonly undoDepth: number;
  readonly redoDepth: number;
  readonly saving: boolean;
  readonly problem: string | null;
  setTool(tool: SegTool): void;
  setRadius(radiusMm: number): void;
  setLabel(label: number): void;
  loaded(imageId: string, version: number): void;
  changed(undoDepth: number, redoDepth: number): void;
  setSaving(saving: boolean): void;
  saved(version: number): void;
  setProblem(problem: string | null): void;
  reset(): void;
}

const INITIAL = {
  tool: 'none',
  radiusMm: 4,
  label: 1,
  imageId: null,
  version: 0,
  revision: 0,
  undoDepth: 0,
  redoDepth: 0,
  saving: false,
  problem: null,
} as const satisfies Partial<SegmentationState>;

export const useSegmentationStore = create<SegmentationState>()((set) => ({
  ...INITIAL,
  setTool: (tool) => set({ tool }),
  setRadius: (radiusMm) => set({ radiusMm: Math.min(50, Math.max(0.5, radiusMm)) }),
  setLabel: (label) => set({ label: Math.min(255, Math.max(1, Math.round(label))) }),
  loaded: (imageId, version) => set((s) => ({ imageId, version, revision: s.revision + 1, undoDepth: 0, redoDepth: 0, problem: null })),
  changed: (undoDepth, redoDepth) => set((s) => ({ undoDepth, redoDepth, revision: s.revision + 1 })),
  setSaving: (saving) => set({ saving }),
  saved: (version) => set({ version, saving: false }),
  setProblem: (problem) => set({ problem }),
  reset: () => set(INITIAL),
}));
