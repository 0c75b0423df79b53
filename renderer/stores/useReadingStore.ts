// The reader study as the Reading panel shows it (issue #13): the reading settings, the agreement figures
// (parsed from agreement.report), and the scan under review: every reader's latest read side by side and
// its reference label (the adjudicated class label, with who set it and when). Plain data from the contract.

import { create } from 'zustand';
import type { ReadInfo, ReadingSettings } from '../../core/api/index.js';
import type { AgreementView } from '../features/reading/agreementView.js';

/** The scan's reference label: the class label training uses by default, set by adjudication. */
export interface ReferenceLabel {
  readonly label: string | null;
  /** 0: the scan has no reference yet. */
  readonly version: number;
  readonly author: string | null;
  readonly createdAt: string | null;
}

export interface ReadingState {
  readonly settings: ReadingSettings | null;
  readonly report: AgreementView | null;
  /** Why the figures are not shown, in words. */
  readonly reportProblem: string | null;
  /** The scan whose reads are shown; null before one is chosen. */
  readonly imageId: string | null;
  readonly reads: readonly ReadInfo[];
  readonly reference: ReferenceLabel | null;
  readonly busy: boolean;
  /** The last refusal about the scan under review (adjudication, loading its reads), in words. */
  readonly problem: string | null;
  setSettings(settings: ReadingSettings): void;
  setReport(report: AgreementView | null, problem?: string | null): void;
  /** Starts showing `imageId`: its reads and reference are unknown until setScan. */
  openScan(imageId: string | null): void;
  /** The reads and reference of `imageId`; ignored when another scan was chosen meanwhile. */
  setScan(imageId: string, reads: readonly ReadInfo[], reference: ReferenceLabel | null): void;
  setBusy(busy: boolean): void;
  setProblem(problem: string | null): void;
  reset(): void;
}

const INITIAL = {
  settings: null,
  report: null,
  reportProblem: null,
  imageId: null,
  reads: [],
  reference: null,
  busy: false,
  problem: null,
} as const satisfies Partial<ReadingState>;

export const useReadingStore = create<ReadingState>()((set, get) => ({
  ...INITIAL,
  setSettings: (settings) => set({ settings }),
  setReport: (report, reportProblem = null) => set({ report, reportProblem }),
  openScan: (imageId) => {
    if (imageId !== get().imageId) set({ imageId, reads: [], reference: null, problem: null });
  },
  setScan: (imageId, reads, reference) => {
    if (get().imageId === imageId) set({ reads, reference });
  },
  setBusy: (busy) => set({ busy }),
  setProblem: (problem) => set({ problem }),
  reset: () => set(INITIAL),
}));
