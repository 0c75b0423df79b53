// Segmentation of the open scan: the tool (brush, eraser or none), brush size and shape (disk or sphere),
// the active segment (the brush's label value), the study's segments (names and colours from the core) with
// their presentation here (visibility, opacity), voxel counts, the labelmap versions and the one previewed.
// The voxels live in renderer/viewer/labelmap.ts, not here.

import { create } from 'zustand';
import type { LabelmapVersion, SegmentInfo } from '../../core/api/index.js';
import type { ViewName } from './useViewerStore.js';

export type SegTool = 'none' | 'brush' | 'eraser';

/** How one segment is drawn (presentation only, never saved in the study). */
export interface SegmentLook {
  readonly visible: boolean;
  /** 0..1. */
  readonly opacity: number;
}

export const DEFAULT_LOOK: SegmentLook = { visible: true, opacity: 0.6 };

export interface SegmentationState {
  readonly tool: SegTool;
  readonly radiusMm: number;
  /** True: the brush is a ball across slices; false: a disk on the slice painted in. */
  readonly sphere: boolean;
  /** The active segment: the value the brush writes, 1..255. */
  readonly label: number;
  readonly segments: readonly SegmentInfo[];
  /** Presentation per segment value; a value missing here uses DEFAULT_LOOK. */
  readonly looks: Readonly<Record<number, SegmentLook>>;
  /** Voxels per labelmap value (index 0..255) of the open scan, after the last finished edit. */
  readonly counts: readonly number[];
  readonly imageId: string | null;
  /** The labelmap version on the core (0 = none saved yet); sent back as expectedVersion. */
  readonly version: number;
  /** Bumped on every change of the voxels or of how they are drawn (redraws the overlay). */
  readonly revision: number;
  readonly undoDepth: number;
  readonly redoDepth: number;
  readonly saving: boolean;
  readonly problem: string | null;
  /** The last edit undone / redone, in words ("Undid a brush stroke (segment 'lesion', 37 voxels)"). */
  readonly notice: string | null;
  /** The view painted in last (fill between slices works along its axis). */
  readonly lastView: ViewName;
  /** Saved labelmap versions of the open scan, newest first. */
  readonly history: readonly LabelmapVersion[];
  /** The version drawn instead of the current labelmap while previewing, or null. */
  readonly preview: number | null;
  setTool(tool: SegTool): void;
  setRadius(radiusMm: number): void;
  setSphere(sphere: boolean): void;
  setLabel(label: number): void;
  setSegments(segments: readonly SegmentInfo[]): void;
  setLook(value: number, look: Partial<SegmentLook>): void;
  loaded(imageId: string, version: number): void;
  changed(undoDepth: number, redoDepth: number, counts: readonly number[]): void;
  redraw(): void;
  setSaving(saving: boolean): void;
  saved(version: number): void;
  setProblem(problem: string | null): void;
  setNotice(notice: string | null): void;
  setLastView(view: ViewName): void;
  setHistory(history: readonly LabelmapVersion[]): void;
  setPreview(version: number | null): void;
  reset(): void;
}

const INITIAL = {
  tool: 'none',
  radiusMm: 4,
  sphere: false,
  label: 1,
  segments: [],
  looks: {},
  counts: [],
  imageId: null,
  version: 0,
  revision: 0,
  undoDepth: 0,
  redoDepth: 0,
  saving: false,
  problem: null,
  notice: null,
  lastView: 'axial',
  history: [],
  preview: null,
} as const satisfies Partial<SegmentationState>;

/** The look of segment `value` (DEFAULT_LOOK unless changed). */
export function lookOf(looks: Readonly<Record<number, SegmentLook>>, value: number): SegmentLook {
  return looks[value] ?? DEFAULT_LOOK;
}

export const useSegmentationStore = create<SegmentationState>()((set) => ({
  ...INITIAL,
  setTool: (tool) => set({ tool }),
  setRadius: (radiusMm) =>
    set({ radiusMm: Number.isFinite(radiusMm) ? Math.min(50, Math.max(0.5, radiusMm)) : 4 }),
  setSphere: (sphere) => set({ sphere }),
  setLabel: (label) =>
    set({ label: Number.isFinite(label) ? Math.min(255, Math.max(1, Math.round(label))) : 1 }),
  setSegments: (segments) =>
    set((s) => ({ segments: [...segments].sort((a, b) => a.value - b.value), revision: s.revision + 1 })),
  setLook: (value, look) =>
    set((s) => ({
      looks: {
        ...s.looks,
        [value]: {
          ...lookOf(s.looks, value),
          ...look,
          ...(look.opacity !== undefined ? { opacity: Math.min(1, Math.max(0, look.opacity)) } : {}),
        },
      },
      revision: s.revision + 1,
    })),
  loaded: (imageId, version) =>
    set((s) => ({
      imageId,
      version,
      revision: s.revision + 1,
      undoDepth: 0,
      redoDepth: 0,
      problem: null,
      notice: null,
      preview: null,
      history: s.imageId === imageId ? s.history : [],
    })),
  changed: (undoDepth, redoDepth, counts) =>
    set((s) => ({ undoDepth, redoDepth, counts, revision: s.revision + 1 })),
  redraw: () => set((s) => ({ revision: s.revision + 1 })),
  setSaving: (saving) => set({ saving }),
  saved: (version) => set({ version, saving: false }),
  setProblem: (problem) => set({ problem }),
  setNotice: (notice) => set({ notice }),
  setLastView: (lastView) => set({ lastView }),
  setHistory: (history) => set({ history }),
  setPreview: (preview) => set((s) => ({ preview, revision: s.revision + 1 })),
  reset: () => set(INITIAL),
}));
