// Explanation: the chosen model and class, the last inference probabilities, the running job's progress,
// the maps stored for the open image (explain.list: study artifacts made by the app, the CLI or the API) and
// how the shown map is drawn (colormap, signed or positive only, opacity, threshold, only inside the head).

import { create } from 'zustand';
import type { MapSummary } from '../../core/api/index.js';
import type { ClassChoice } from '../features/explain/classChoice.js';
import type { ColormapName, SignMode } from '../viewer/colormaps.js';

export interface RunningJob {
  readonly id: string;
  readonly what: string;
  readonly fraction: number | null;
  readonly message: string;
}

export interface ExplainState {
  readonly modelId: string | null;
  /**
   * The class to explain as the user chose it: an index into the model's classes, 'labeled' (the open scan's
   * labeled class) or null = the predicted class of the open scan.
   */
  readonly classChoice: ClassChoice;
  readonly probabilities: {
    readonly imageId: string;
    readonly modelId: string;
    readonly classes: readonly string[];
    readonly values: readonly number[];
  } | null;
  readonly job: RunningJob | null;
  /** The image whose maps `maps` lists (null until explain.list answered for it). */
  readonly mapsImageId: string | null;
  /** The stored maps of `mapsImageId`, newest first. */
  readonly maps: readonly MapSummary[];
  /** The map on screen (a stored map id), or null. */
  readonly shownMapId: string | null;
  readonly visible: boolean;
  /** The sequential colormap of "positive only" (signed maps always use the diverging one). */
  readonly colormap: ColormapName;
  /** Signed (blue = against, red = for), positive only, or 'auto': signed when the map has negative values. */
  readonly signMode: SignMode;
  readonly opacity: number;
  /** Fraction of the map's range below which voxels are hidden. */
  readonly threshold: number;
  /** Hide map voxels outside the scan's head (Otsu foreground mask). */
  readonly insideHead: boolean;
  readonly problem: string | null;
  setModel(modelId: string | null): void;
  setClassChoice(classChoice: ClassChoice): void;
  setProbabilities(p: ExplainState['probabilities']): void;
  setJob(job: RunningJob | null): void;
  /** The answer of explain.list for `imageId`; the shown map is kept only if it is still listed. */
  setMaps(imageId: string, maps: readonly MapSummary[]): void;
  show(mapId: string | null): void;
  setVisible(visible: boolean): void;
  setColormap(colormap: ColormapName): void;
  setSignMode(signMode: SignMode): void;
  setOpacity(opacity: number): void;
  setThreshold(threshold: number): void;
  setInsideHead(insideHead: boolean): void;
  setProblem(problem: string | null): void;
  /** Forget maps, probabilities and the class choice of other images (called when another image opens). */
  forImage(imageId: string): void;
  reset(): void;
}

const INITIAL = {
  modelId: null,
  classChoice: null,
  probabilities: null,
  job: null,
  mapsImageId: null,
  maps: [],
  shownMapId: null,
  visible: true,
  colormap: 'jet',
  signMode: 'auto',
  opacity: 0.6,
  threshold: 0.2,
  insideHead: false,
  problem: null,
} as const satisfies Partial<ExplainState>;

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

export const useExplainStore = create<ExplainState>()((set) => ({
  ...INITIAL,
  setModel: (modelId) => set({ modelId, classChoice: null }),
  setClassChoice: (classChoice) => set({ classChoice }),
  setProbabilities: (probabilities) => set({ probabilities }),
  setJob: (job) => set({ job }),
  setMaps: (imageId, maps) =>
    set((s) => {
      const keep = maps.some((m) => m.id === s.shownMapId);
      return { mapsImageId: imageId, maps: [...maps], shownMapId: keep ? s.shownMapId : null };
    }),
  show: (shownMapId) => set({ shownMapId, ...(shownMapId !== null ? { visible: true } : {}) }),
  setVisible: (visible) => set({ visible }),
  setColormap: (colormap) => set({ colormap }),
  setSignMode: (signMode) => set({ signMode }),
  setOpacity: (opacity) => set({ opacity: clamp01(opacity) }),
  setThreshold: (threshold) => set({ threshold: Math.min(0.99, clamp01(threshold)) }),
  setInsideHead: (insideHead) => set({ insideHead }),
  setProblem: (problem) => set({ problem }),
  forImage: (imageId) =>
    set((s) =>
      s.mapsImageId === imageId
        ? {}
        : {
            mapsImageId: null,
            maps: [],
            shownMapId: null,
            classChoice: null,
            probabilities: s.probabilities?.imageId === imageId ? s.probabilities : null,
          },
    ),
  reset: () => set(INITIAL),
}));

/** The shown map's summary, if it belongs to `imageId`'s list. */
export function shownMap(s: Pick<ExplainState, 'maps' | 'shownMapId'>): MapSummary | null {
  return s.maps.find((m) => m.id === s.shownMapId) ?? null;
}
