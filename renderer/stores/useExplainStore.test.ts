// The explanation store: a new map is shown at once, opening another image forgets other images' maps,
// opacity and threshold stay in range.

import { beforeEach, describe, expect, it } from 'vitest';
import { useExplainStore, type HeatmapInfo } from './useExplainStore.js';

const map = (jobId: string, imageId: string): HeatmapInfo => ({
  jobId,
  imageId,
  modelId: 'm',
  method: 'occlusion',
  classIndex: 1,
  min: -1,
  max: 1,
  params: '',
});

describe('useExplainStore', () => {
  beforeEach(() => useExplainStore.getState().reset());

  it('shows a new map and keeps maps per image', () => {
    const s = useExplainStore.getState();
    s.addMap(map('j1', 'a'));
    s.setVisible(false);
    s.addMap(map('j2', 'a'));
    expect(useExplainStore.getState()).toMatchObject({ shownJobId: 'j2', visible: true });
    s.setProbabilities({ imageId: 'a', classes: ['F', 'M'], values: [0.4, 0.6] });
    useExplainStore.getState().forImage('b');
    expect(useExplainStore.getState()).toMatchObject({ maps: [], shownJobId: null, probabilities: null });
  });

  it('clamps opacity and threshold', () => {
    const s = useExplainStore.getState();
    s.setOpacity(3);
    s.setThreshold(1);
    expect(useExplainStore.getState().opacity).toBe(1);
    expect(useExplainStore.getState().threshold).toBe(0.99);
  });
});
