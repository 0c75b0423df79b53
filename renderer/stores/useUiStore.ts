// The app shell's presentation state: which side panel is active (it decides what Ctrl+Z undoes) and the
// short notice the app shows after an action ("Undid ...", "Not saved ...").

import { create } from 'zustand';

/** The side panels; which of them a caller sees depends on its role (renderer/app/panels.ts). */
export const PANELS = ['Label', 'Segment', 'Explain', 'Train', 'Reading', 'Admin'] as const;
export type Panel = (typeof PANELS)[number];

export interface Notice {
  readonly text: string;
  readonly tone: 'info' | 'warn';
  /** Increases with every notice, so the same text shown twice restarts its timer. */
  readonly seq: number;
}

export interface UiState {
  readonly panel: Panel;
  readonly notice: Notice | null;
  setPanel(panel: Panel): void;
  notify(text: string, tone?: Notice['tone']): void;
  dismiss(): void;
  reset(): void;
}

const INITIAL = { panel: 'Label', notice: null } as const satisfies Partial<UiState>;

export const useUiStore = create<UiState>()((set) => ({
  ...INITIAL,
  setPanel: (panel) => set({ panel }),
  notify: (text, tone = 'info') => set((s) => ({ notice: { text, tone, seq: (s.notice?.seq ?? 0) + 1 } })),
  dismiss: () => set({ notice: null }),
  reset: () => set(INITIAL),
}));
