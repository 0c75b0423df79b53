// Class labeling of the open image: its current label (who/when), history, the undo stack of this session,
// the writes that did not reach the core (kept, shown as not saved, sent again on reconnect) and the last
// save problem in words (a conflict with another user's label included).

import { browserStorage } from './browserStorage.js';
import { create } from 'zustand';
import type { ClassLabelState, ClassLabelVersion } from '../../core/api/index.js';

/** One undoable change: the label an image had before this session's change. */
export interface LabelChange {
  readonly imageId: string;
  readonly previous: string | null;
  /** The label our change set. */
  readonly label?: string | null;
  /** The version our change created (the version the undo writes against). */
  readonly version: number;
}

/** A class-label write that did not reach the core: kept until it is sent or the reader discards it. */
export interface UnsavedLabel {
  readonly imageId: string;
  readonly label: string | null;
  readonly author: string;
  /** The version the reader saw: a change by someone else meanwhile makes it a visible conflict, not an overwrite. */
  readonly expectedVersion: number;
  readonly note?: string;
  /** ISO time of the reader's action. */
  readonly at: string;
  /** Why it was not saved, in words. */
  readonly why: string;
}

export interface LabelState {
  readonly imageId: string | null;
  readonly current: ClassLabelState | null;
  readonly history: readonly ClassLabelVersion[];
  readonly saving: boolean;
  readonly problem: string | null;
  readonly undo: readonly LabelChange[];
  /** Writes not saved yet, oldest first, at most one per image (the reader's last answer wins). */
  readonly unsaved: readonly UnsavedLabel[];
  setLoaded(imageId: string, current: ClassLabelState, history: readonly ClassLabelVersion[]): void;
  setSaving(saving: boolean): void;
  setProblem(problem: string | null): void;
  pushUndo(change: LabelChange): void;
  popUndo(): LabelChange | null;
  /** Pops the last change of `imageId` (undo acts on the scan on screen, never on one out of sight). */
  popUndoFor(imageId: string): LabelChange | null;
  keepUnsaved(write: UnsavedLabel): void;
  dropUnsaved(imageId: string): void;
  reset(): void;
}

/** localStorage key of the unsaved writes, so a reload while the server is away loses nothing. */
export const UNSAVED_KEY = 'voxlab.unsavedLabels';

function readUnsaved(): UnsavedLabel[] {
  try {
    const raw = browserStorage()?.getItem(UNSAVED_KEY);
    const list = raw === null || raw === undefined ? [] : (JSON.parse(raw) as unknown);
    return Array.isArray(list) ? (list as UnsavedLabel[]).filter((w) => typeof w?.imageId === 'string') : [];
  } catch {
    return [];
  }
}

function writeUnsaved(list: readonly UnsavedLabel[]): void {
  try {
    if (list.length === 0) browserStorage()?.removeItem(UNSAVED_KEY);
    else browserStorage()?.setItem(UNSAVED_KEY, JSON.stringify(list));
  } catch {
    // storage disabled or full: the list still lives in this page and is shown
  }
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
  unsaved: readUnsaved(),
  setLoaded: (imageId, current, history) => set({ imageId, current, history }),
  setSaving: (saving) => set({ saving }),
  setProblem: (problem) => set({ problem }),
  pushUndo: (change) => set((s) => ({ undo: [...s.undo, change].slice(-MAX_UNDO) })),
  popUndo: () => {
    const last = get().undo.at(-1) ?? null;
    if (last !== null) set((s) => ({ undo: s.undo.slice(0, -1) }));
    return last;
  },
  popUndoFor: (imageId) => {
    const undo = get().undo;
    const at = undo.findLastIndex((c) => c.imageId === imageId);
    if (at < 0) return null;
    set({ undo: [...undo.slice(0, at), ...undo.slice(at + 1)] });
    return undo[at]!;
  },
  keepUnsaved: (write) => {
    const unsaved = [...get().unsaved.filter((w) => w.imageId !== write.imageId), write];
    writeUnsaved(unsaved);
    set({ unsaved });
  },
  dropUnsaved: (imageId) => {
    const unsaved = get().unsaved.filter((w) => w.imageId !== imageId);
    writeUnsaved(unsaved);
    set({ unsaved });
  },
  reset: () => set({ ...INITIAL, unsaved: readUnsaved() }),
}));
