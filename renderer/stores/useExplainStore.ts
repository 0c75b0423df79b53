// Explanation: the chosen model, the last inference probabilities, the running job's progress, the maps
// made for the open image (with their parameters) and how the shown map is drawn (colormap, opacity, threshold).

import { create } from 'zustand';
import type { ColormapName } from '../viewer/colormaps.js';

export interface HeatmapInfo {
  /** The explain job id (the map is fetched with explain.map). */
  readonly jobId: string;
  readonly imageId: string;
  readonly modelId: string;
  readonly method: 'occlusion' | 'gradcam' | 'gradcam++';
  readonly classIndex: number;
  readonly min: number;
  readonly max: number;
  readonly params: string;
}

export interface RunningJob {
  readonly id: string;
  readonly what: string;
  readonly fraction: number | null;
  readonly message: string;
}

export interface ExplainState {
  readonly modelId: string | null;
  readonly probabilities: { readonly imageId: string; readonly classes: readonly string[]; readonly values: readonly number[] } | null;
  readonly job: RunningJob | null;
  readonly maps: readonly HeatmapInfo[];
  readonly shownJobId: string | null;
  readonly visible: boolean;
  readonly colormap: ColormapName;
  readonly opacity: number;
  /** Fraction of the map's range below which voxels are hidden. */
  readonly threshold: number;
  readonly problem: string | null;
  setModel(modelId: string | null): void;
  setProbabilities(p: ExplainState['probabilities']): void;
  setJob(job: RunningJob | null): void;
  addMap(map: HeatmapInfo): void;
  show(jobId: string | null): void;
  setVisible(visible: boolean): void;
  setColormap(colormap: ColormapName): void;
  setOpacity(opacity: number): void;
  setThreshold(threshold: number): void;
  setProblem(problem: string | null): void;
  /** Forget maps and probabilities of other images (called when another image opens). */
  forImage(imageId: string): void;
  reset(): void;
}

const INITIAL = {
  modelId: null,
  probabilities: null,
  job: null,
  maps: [],
  shownJobId: null,
  visible: true,
  colormap: 'jet',
  opacity: 0.6,
  threshold: 0.2,
  problem: null,
} as const satisfies Partial<ExplainState>;

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

export const useExplainStore = create<ExplainState>()((set) => ({
  ...INITIAL,
  setModel: (modelId) => set({ modelId }),
  setProbabilities: (probabilities) => set({ probabilities }),
  setJob: (job) => set({ job }),
  addMap: (map) => set((s) => ({ maps: [...s.maps.filter((m) => m.jobId !== map.jobId), map], shownJobId: map.jobId, visible: true })),
  show: (shownJobId) => set({ shownJobId }),
  setVisible: (visible) => set({ visible }),
  setColormap: (colormap) => set({ colormap }),
  setOpacity: (opacity) => set({ opacity: clamp01(opacity) }),
  setThreshold: (threshold) => set({ threshold: Math.min(0.99, clamp01(threshold)) }),
  setProblem: (problem) => set({ problem }),
  forImage: (imageId) =>
    set((s) => {
      const maps = s.maps.filter((m) => m.imageId === imageId);
      return {
        maps,
        shownJobId: maps.some((m) => m.jobId === s.shownJobId) ? s.shownJobId : null,
        probabilities: s.probabilities?.imageId === imageId ? s.probabilities : null,
      };
    }),
  reset: () => set(INITIAL),
}));
