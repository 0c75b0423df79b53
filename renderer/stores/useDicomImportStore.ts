// DICOM import (issue #11): what the import panel shows while a chosen folder uploads and converts, or a
// PACS import runs, and the report at the end; plus whether files are being dragged over the window. Counts,
// ids and words only: the chosen File handles stay in renderer/features/dicom/importActions.ts.

import { create } from 'zustand';
import type { DicomImportReport } from '../../core/api/index.js';

/** idle: nothing shown; uploading: files go to the server; importing: the core's job converts them. */
export type ImportPhase = 'idle' | 'uploading' | 'importing' | 'done' | 'failed' | 'cancelled';
export type ImportSource = 'folder' | 'pacs';

export interface DicomImportState {
  /** The import panel is shown. */
  readonly open: boolean;
  readonly phase: ImportPhase;
  readonly source: ImportSource | null;
  /** What is imported, in words ("trio_b17_t1_mprage", "3 series from http://pacs/dicom-web"). */
  readonly what: string;
  /** Files to upload (folder imports) and how many of them the server has taken, with their bytes. */
  readonly total: number;
  readonly uploaded: number;
  readonly bytes: number;
  /** The core's import job while it runs, its fraction done (null: unknown) and its line for people. */
  readonly jobId: string | null;
  readonly fraction: number | null;
  readonly message: string;
  readonly report: DicomImportReport | null;
  readonly problem: string | null;
  /** "Try again" can repeat the last attempt without choosing again (the files are still chosen). */
  readonly canRetry: boolean;
  /** Files are dragged over the window (the drop overlay shows). */
  readonly dragging: boolean;
  begin(source: ImportSource, what: string, total: number): void;
  uploadProgress(uploaded: number, bytes: number): void;
  importing(jobId: string, fraction: number | null, message: string): void;
  jobProgress(fraction: number | null, message: string): void;
  finished(report: DicomImportReport): void;
  failed(problem: string, canRetry: boolean): void;
  cancelled(canRetry: boolean): void;
  close(): void;
  setDragging(dragging: boolean): void;
  reset(): void;
}

const INITIAL = {
  open: false,
  phase: 'idle',
  source: null,
  what: '',
  total: 0,
  uploaded: 0,
  bytes: 0,
  jobId: null,
  fraction: null,
  message: '',
  report: null,
  problem: null,
  canRetry: false,
  dragging: false,
} as const satisfies Partial<DicomImportState>;

export const useDicomImportStore = create<DicomImportState>()((set) => ({
  ...INITIAL,
  begin: (source, what, total) =>
    set({ ...INITIAL, open: true, phase: source === 'folder' ? 'uploading' : 'importing', source, what, total }),
  uploadProgress: (uploaded, bytes) => set({ uploaded, bytes }),
  importing: (jobId, fraction, message) => set({ phase: 'importing', jobId, fraction, message }),
  jobProgress: (fraction, message) => set({ fraction, message }),
  finished: (report) => set({ phase: 'done', report, jobId: null, fraction: 1, problem: null, canRetry: false }),
  failed: (problem, canRetry) => set({ open: true, phase: 'failed', problem, canRetry, jobId: null }),
  cancelled: (canRetry) => set({ phase: 'cancelled', problem: null, canRetry, jobId: null }),
  close: () => set((s) => (s.phase === 'uploading' || s.phase === 'importing' ? s : { ...INITIAL, dragging: s.dragging })),
  setDragging: (dragging) => set({ dragging }),
  reset: () => set(INITIAL),
}));

/** True while an upload or an import job runs (a second import waits for it). */
export function importRunning(s: Pick<DicomImportState, 'phase'>): boolean {
  return s.phase === 'uploading' || s.phase === 'importing';
}
