// The explanation store: the stored maps of the open image, the shown map kept only while it is listed,
// opening another image forgets maps and the class choice, opacity and threshold stay in range.

import { beforeEach, describe, expect, it } from 'vitest';
import type { MapSummary } from '../../core/api/index.js';
import { shownMap, useExplainStore } from './useExplainStore.js';

const map = (id: string, imageId = 'a'): MapSummary => ({
  id,
  imageId,
  modelId: 'm',
  method: 'occlusion',
  classIndex: 1,
  className: 'M',
  predictedClass: 'M',
  params: {},
  source: 'app',
  createdAt: '2025-01-01T00:00:00Z',
  min: -1,
  max: 1,
  durationMs: null,
  sanity: null,
});

describe('useExplainStore', () => {
  beforeEach(() => useExplainStore.getState().reset());

  it('lists maps, shows one by id and keeps it while it is listed', () => {
    const s = useExplainStore.getState();
    s.setMaps('a', [map('m2'), map('m1')]);
    s.setVisible(false);
    s.show('m1');
    expect(useExplainStore.getState()).toMatchObject({ shownMapId: 'm1', visible: true, mapsImageId: 'a' });
    expect(shownMap(useExplainStore.getState())?.id).toBe('m1');
    s.setMaps('a', [map('m3'), map('m2'), map('m1')]);
    expect(useExplainStore.getState().shownMapId).toBe('m1');
    s.setMaps('a', [map('m3')]);
    expect(useExplainStore.getState().shownMapId).toBeNull();
  });

  it('forgets maps, probabilities and the class choice when another image opens', () => {
    const s = useExplainStore.getState();
    s.setMaps('a', [map('m1')]);
    s.show('m1');
    s.setClassChoice('labeled');
    s.setProbabilities({ imageId: 'a', modelId: 'm', classes: ['F', 'M'], values: [0.4, 0.6] });
    useExplainStore.getState().forImage('a'); // the same image: nothing changes
    expect(useExplainStore.getState()).toMatchObject({ shownMapId: 'm1', classChoice: 'labeled' });
    useExplainStore.getState().forImage('b');
    expect(useExplainStore.getState()).toMatchObject({ maps: [], mapsImageId: null, shownMapId: null, probabilities: null, classChoice: null });
  });

  it('a new model resets the class choice to the predicted class', () => {
    useExplainStore.getState().setClassChoice(2);
    useExplainStore.getState().setModel('other');
    expect(useExplainStore.getState().classChoice).toBeNull();
  });

  it('remembers the sign choice across maps and images until reset', () => {
    const s = useExplainStore.getState();
    expect(useExplainStore.getState().signMode).toBe('auto');
    s.setMaps('a', [map('m1')]);
    s.setSignMode('positive');
    s.show('m1');
    useExplainStore.getState().forImage('b');
    expect(useExplainStore.getState().signMode).toBe('positive');
    useExplainStore.getState().reset();
    expect(useExplainStore.getState().signMode).toBe('auto');
  });

  it('clamps opacity and threshold', () => {
    const s = useExplainStore.getState();
    s.setOpacity(3);
    s.setThreshold(1);
    expect(useExplainStore.getState().opacity).toBe(1);
    expect(useExplainStore.getState().threshold).toBe(0.99);
  });
});
