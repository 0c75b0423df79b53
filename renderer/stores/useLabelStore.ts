// Class labeling of the open image: its current label (who/when), history, the undo stack of this session,
// and the last save problem in words (a conflict with another user's label included).

import { create } from 'zustand';
import type { ClassLabelState, ClassLabelVersion } from '../../core/api/index.js';

/** One undoable change: the label an image had before this session's change. */
export interface LabelChange {
  readonly imageId: string;
  readonly previous: string | null;
  /** The version our change created (the version the undo writes against). */
  readonly version: number;
}

export interface LabelState {
  readonly imageId: string | null;
  readonly current: ClassLabelState | null;
  readonly history: readonly ClassLabelVersion[];
  readonly saving: boolean;
  readonly problem: string | null;
  readonly undo: readonly LabelChange[];
  readonly author: string;
  setLoaded(imageId: string, current: ClassLabelState, history: readonly ClassLabelVersion[]): void;
  setSaving(saving: boolean): void;
  setProblem(problem: string | null): void;
  pushUndo(change: LabelChange): void;
  popUndo(): LabelChange | null;
  setAuthor(author: string): void;
  reset(): void;
}

const INITIAL = {
  imageId: null,
  current: null,
  history: [],
  saving: false,
  problem: null,
  undo: [],
} as const satisfies Partial<LabelState>;

/** Undo depth kept per session. */
const MAX_UNDO = 50;

export const useLabelStore = create<LabelState>()((set, get) => ({
  ...INITIAL,
  author: 'reader',
  setLoaded: (imageId, current, history) => set({ imageId, current, history }),
  setSaving: (saving) => set({ saving }),
  setProblem: (problem) => set({ problem }),
  pushUndo: (change) => set((s) => ({ undo: [...s.undo, change].slice(-MAX_UNDO) })),
  popUndo: () => {
    const last = get().undo.at(-1) ?? null;
    if (last !== null) set((s) => ({ undo: s.undo.slice(0, -1) }));
    return last;
  },
  setAuthor: (author) => set({ author }),
  reset: () => set(INITIAL),
}));
