// DICOM SEG out of the open scan's saved labelmap (issue #11): what "Save as DICOM SEG" and "Send SEG to PACS"
// are doing for which scan, the send job's progress, and the outcome in words.

import { create } from 'zustand';

export type SegExportTask = 'file' | 'send';

export interface SegExportState {
  /** The scan the task and its outcome belong to (another scan on screen shows neither). */
  readonly imageId: string | null;
  readonly busy: SegExportTask | null;
  readonly fraction: number | null;
  readonly message: string;
  /** The finished task in words ("Sent as SEG series 1.2.…"), or null. */
  readonly result: string | null;
  readonly problem: string | null;
  start(imageId: string, task: SegExportTask): void;
  progress(fraction: number | null, message: string): void;
  succeeded(result: string): void;
  failed(problem: string): void;
  reset(): void;
}

const INITIAL = {
  imageId: null,
  busy: null,
  fraction: null,
  message: '',
  result: null,
  problem: null,
} as const satisfies Partial<SegExportState>;

export const useSegExportStore = create<SegExportState>()((set) => ({
  ...INITIAL,
  start: (imageId, busy) => set({ ...INITIAL, imageId, busy }),
  progress: (fraction, message) => set({ fraction, message }),
  succeeded: (result) => set({ busy: null, result, problem: null }),
  failed: (problem) => set({ busy: null, problem, result: null }),
  reset: () => set(INITIAL),
}));
