// Measurements on the open scan (lengths and regions of interest), the left-button measuring tool, and the
// one being drawn. World points only (LPS mm, Cornerstone's world); the numbers shown are computed from the
// volumes when drawn on screen. Measurements belong to one scan and go when another opens.

import { create } from 'zustand';
import type { ViewName } from './useViewerStore.js';

export type Point3 = readonly [number, number, number];
export const MEASURE_KINDS = ['length', 'ellipse', 'rectangle'] as const;
export type MeasureKind = (typeof MEASURE_KINDS)[number];

export interface Measurement {
  readonly id: number;
  readonly kind: MeasureKind;
  /** The view it was drawn in. */
  readonly view: ViewName;
  /** World LPS mm: the ends of a length, or two opposite corners of a region's bounding box. */
  readonly a: Point3;
  readonly b: Point3;
  /** The view's camera when drawn (unit vectors, world LPS): screen up and the plane normal (towards the viewer). */
  readonly viewUp: Point3;
  readonly normal: Point3;
}

export type Draft = Omit<Measurement, 'id'>;

export interface MeasureState {
  /** What the left button measures; 'none' leaves it to window/level (or crosshairs, painting). */
  readonly tool: MeasureKind | 'none';
  /** The scan the measurements belong to. */
  readonly imageId: string | null;
  readonly items: readonly Measurement[];
  readonly draft: Draft | null;
  readonly nextId: number;
  setTool(tool: MeasureKind | 'none'): void;
  /** Keeps the measurements when `imageId` is their scan, else drops them (another scan opened, or none). */
  forImage(imageId: string | null): void;
  startDraft(draft: Draft): void;
  moveDraft(b: Point3): void;
  /** Adds the draft as a measurement (numbered from 1 per scan) and clears it. */
  commitDraft(): void;
  cancelDraft(): void;
  remove(id: number): void;
  clear(): void;
  reset(): void;
}

const INITIAL = { tool: 'none', imageId: null, items: [], draft: null, nextId: 1 } as const satisfies Partial<MeasureState>;

export const useMeasureStore = create<MeasureState>()((set) => ({
  ...INITIAL,
  setTool: (tool) => set({ tool, draft: null }),
  forImage: (imageId) => set((s) => (s.imageId === imageId ? {} : { imageId, items: [], draft: null, nextId: 1 })),
  startDraft: (draft) => set({ draft }),
  moveDraft: (b) => set((s) => (s.draft === null ? {} : { draft: { ...s.draft, b } })),
  commitDraft: () =>
    set((s) => (s.draft === null ? {} : { items: [...s.items, { ...s.draft, id: s.nextId }], nextId: s.nextId + 1, draft: null })),
  cancelDraft: () => set({ draft: null }),
  remove: (id) => set((s) => ({ items: s.items.filter((m) => m.id !== id) })),
  clear: () => set({ items: [], draft: null }),
  reset: () => set(INITIAL),
}));
