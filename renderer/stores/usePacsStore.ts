// The PACS connection (issue #11, "Connect to PACS…"): the DICOMweb URL (remembered in this browser profile),
// the Authorization header value (kept in memory only: never written to storage, gone with the page), the
// search filters, the series found and the ones chosen for import, and why the dialog is open (searching, or
// sending a SEG that needs a PACS first).

import { create } from 'zustand';
import type { PacsSeries } from '../../core/api/index.js';
import { browserStorage } from './browserStorage.js';

/** localStorage key of the remembered DICOMweb URL (never the Authorization value). */
export const PACS_URL_KEY = 'voxlab.pacs.url';

/** Why the dialog is open: to search and import, or to pick the PACS a SEG of `imageId` goes to. */
export type PacsPurpose =
  | { readonly kind: 'search' }
  | { readonly kind: 'sendSeg'; readonly imageId: string; readonly version: number };

/** The dialog's fields as typed. `since`: 'YYYY-MM-DD' from the date input, '' for any date. */
export interface PacsForm {
  readonly url: string;
  readonly authorization: string;
  readonly modality: string;
  readonly since: string;
}

export interface PacsState {
  readonly open: boolean;
  readonly purpose: PacsPurpose;
  readonly form: PacsForm;
  /** The URL a search or send last succeeded with this session (a SEG goes there); null: not connected. */
  readonly connectedUrl: string | null;
  readonly searching: boolean;
  /** The series of the last search (null: no search yet), as the core answered them. */
  readonly series: readonly PacsSeries[] | null;
  /** SeriesInstanceUIDs chosen for "Import selected". */
  readonly selected: readonly string[];
  readonly problem: string | null;
  openDialog(purpose?: PacsPurpose): void;
  closeDialog(): void;
  setForm(form: Partial<PacsForm>): void;
  /** Remembers the URL about to be used (the Authorization value is never stored). */
  rememberUrl(url: string): void;
  setSearching(searching: boolean): void;
  searched(url: string, series: readonly PacsSeries[], selected: readonly string[]): void;
  setSelected(selected: readonly string[]): void;
  connected(url: string | null): void;
  setProblem(problem: string | null): void;
  reset(): void;
}

function rememberedUrl(): string {
  try {
    return browserStorage()?.getItem(PACS_URL_KEY) ?? '';
  } catch {
    return ''; // storage disabled: the URL is typed again each visit
  }
}

const initial = () =>
  ({
    open: false,
    purpose: { kind: 'search' },
    form: { url: rememberedUrl(), authorization: '', modality: '', since: '' },
    connectedUrl: null,
    searching: false,
    series: null,
    selected: [],
    problem: null,
  }) as const satisfies Partial<PacsState>;

export const usePacsStore = create<PacsState>()((set) => ({
  ...initial(),
  openDialog: (purpose = { kind: 'search' }) => set({ open: true, purpose, problem: null }),
  closeDialog: () => set({ open: false, purpose: { kind: 'search' }, problem: null }),
  setForm: (form) => set((s) => ({ form: { ...s.form, ...form } })),
  rememberUrl: (url) => {
    try {
      browserStorage()?.setItem(PACS_URL_KEY, url);
    } catch {
      // storage disabled: the URL holds for this page only
    }
  },
  setSearching: (searching) => set({ searching }),
  searched: (url, series, selected) => set({ connectedUrl: url, series, selected, searching: false, problem: null }),
  setSelected: (selected) => set({ selected }),
  connected: (connectedUrl) => set({ connectedUrl }),
  setProblem: (problem) => set({ problem, searching: false }),
  reset: () => set(initial()),
}));
