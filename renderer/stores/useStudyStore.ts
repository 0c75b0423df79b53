// The study list: images with status and label, the filter and sort the user chose, active-learning scores,
// and the open image. Holds ids and plain data from the contract, never Cornerstone objects.

import { create } from 'zustand';
import type { ClassInfo, ImageStatus, ImageSummary } from '../../core/api/index.js';

/** 'left': scans left for me in a blinded reader study (issue #13): not read by me, and short of reads. */
export type StatusFilter = 'all' | ImageStatus | 'left';
export type SortKey = 'id' | 'status' | 'score';

export interface StudyState {
  readonly studyName: string;
  readonly images: readonly ImageSummary[];
  /** Class names in display order. */
  readonly classes: readonly string[];
  /** The classes with colour, shortcut key and count (classes.list), in display order. */
  readonly classInfo: readonly ClassInfo[];
  /** Active-learning score per image id (higher = ask sooner); null = no score. */
  readonly scores: Readonly<Record<string, number | null>>;
  readonly filter: StatusFilter;
  readonly sort: SortKey;
  readonly search: string;
  readonly selectedId: string | null;
  readonly error: string | null;
  setStudy(name: string, images: readonly ImageSummary[], classes: readonly ClassInfo[]): void;
  updateImage(image: ImageSummary): void;
  setScores(ranking: readonly { id: string; score: number | null }[]): void;
  setFilter(filter: StatusFilter): void;
  setSort(sort: SortKey): void;
  setSearch(search: string): void;
  select(id: string | null): void;
  setError(message: string | null): void;
  reset(): void;
}

const INITIAL = {
  studyName: '',
  images: [],
  classes: [],
  classInfo: [],
  scores: {},
  filter: 'all',
  sort: 'id',
  search: '',
  selectedId: null,
  error: null,
} as const satisfies Partial<StudyState>;

export const useStudyStore = create<StudyState>()((set) => ({
  ...INITIAL,
  setStudy: (studyName, images, classInfo) => set({ studyName, images, classInfo, classes: classInfo.map((c) => c.name) }),
  updateImage: (image) => set((s) => ({ images: s.images.map((i) => (i.id === image.id ? image : i)) })),
  setScores: (ranking) => set({ scores: Object.fromEntries(ranking.map((r) => [r.id, r.score])) }),
  setFilter: (filter) => set({ filter }),
  setSort: (sort) => set({ sort }),
  setSearch: (search) => set({ search }),
  select: (selectedId) => set({ selectedId }),
  setError: (error) => set({ error }),
  reset: () => set(INITIAL),
}));

const STATUS_ORDER: Record<ImageStatus, number> = { unlabeled: 0, predicted: 1, labeled: 2 };

/** True for a scan of a blinded reader study that I have not read while it still needs reads (done < needed). */
export function leftForMe(image: Pick<ImageSummary, 'reading'>): boolean {
  const r = image.reading;
  return r !== undefined && r.mine === null && r.done < r.needed;
}

/** True when `image` passes `filter`. */
export function passesFilter(image: ImageSummary, filter: StatusFilter): boolean {
  return filter === 'all' || (filter === 'left' ? leftForMe(image) : image.status === filter);
}

/** The rows the list shows: filtered by status and search text, sorted (score: highest first, unscored last). */
export function visibleImages(
  s: Pick<StudyState, 'images' | 'filter' | 'sort' | 'search' | 'scores'>,
): ImageSummary[] {
  const needle = s.search.trim().toLowerCase();
  const rows = s.images.filter(
    (i) => passesFilter(i, s.filter) && (needle === '' || i.id.toLowerCase().includes(needle)),
  );
  const byId = (a: ImageSummary, b: ImageSummary) => a.id.localeCompare(b.id);
  const compare: Record<SortKey, (a: ImageSummary, b: ImageSummary) => number> = {
    id: byId,
    status: (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || byId(a, b),
    score: (a, b) => {
      const sa = s.scores[a.id] ?? null;
      const sb = s.scores[b.id] ?? null;
      if (sa === null && sb === null) return byId(a, b);
      if (sa === null) return 1;
      if (sb === null) return -1;
      return sb - sa || byId(a, b);
    },
  };
  return [...rows].sort(compare[s.sort]);
}

/**
 * The next image without a human label after `currentId` in the shown order (wrapping around), or null
 * when every shown image is labeled.
 */
export function nextUnlabeled(rows: readonly ImageSummary[], currentId: string | null): string | null {
  const start = currentId === null ? -1 : rows.findIndex((r) => r.id === currentId);
  for (let step = 1; step <= rows.length; step++) {
    const row = rows[(start + step + rows.length) % rows.length]!;
    if (row.status !== 'labeled' && row.id !== currentId) return row.id;
  }
  return null;
}
