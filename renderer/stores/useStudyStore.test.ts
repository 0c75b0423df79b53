// The study list's filter, search and sort (active-learning score first), and the next-unlabeled pick.

import { beforeEach, describe, expect, it } from 'vitest';
import type { ImageSummary } from '../../core/api/index.js';
import { nextUnlabeled, useStudyStore, visibleImages } from './useStudyStore.js';

function image(id: string, status: ImageSummary['status']): ImageSummary {
  return {
    id,
    shape: [4, 4, 4],
    format: 'nifti1',
    storage: 'copy',
    addedAt: '2026-01-01T00:00:00Z',
    addedBy: 'test',
    status,
    label: status === 'labeled' ? 'M' : null,
    labelVersion: status === 'labeled' ? 1 : 0,
    labelmapVersion: 0,
    prediction: null,
  };
}

const IMAGES = [image('c', 'unlabeled'), image('a', 'labeled'), image('b', 'predicted'), image('d', 'unlabeled')];

describe('useStudyStore', () => {
  beforeEach(() => {
    useStudyStore.getState().reset();
    useStudyStore.getState().setStudy('s', IMAGES, [
      { name: 'F', colour: '#e41a1c', key: 1, position: 0, count: 1 },
      { name: 'M', colour: '#377eb8', key: 2, position: 1, count: 0 },
    ]);
  });

  it('keeps the class names in display order beside the full class records', () => {
    expect(useStudyStore.getState().classes).toEqual(['F', 'M']);
    expect(useStudyStore.getState().classInfo.map((c) => c.key)).toEqual([1, 2]);
  });

  it('sorts by name by default and filters by status and search text', () => {
    expect(visibleImages(useStudyStore.getState()).map((i) => i.id)).toEqual(['a', 'b', 'c', 'd']);
    useStudyStore.getState().setFilter('unlabeled');
    expect(visibleImages(useStudyStore.getState()).map((i) => i.id)).toEqual(['c', 'd']);
    useStudyStore.getState().setSearch(' D ');
    expect(visibleImages(useStudyStore.getState()).map((i) => i.id)).toEqual(['d']);
  });

  it('sorts by active-learning score, highest first, unscored last', () => {
    const s = useStudyStore.getState();
    s.setScores([
      { id: 'd', score: 0.9 },
      { id: 'c', score: 0.1 },
      { id: 'b', score: null },
    ]);
    s.setSort('score');
    expect(visibleImages(useStudyStore.getState()).map((i) => i.id)).toEqual(['d', 'c', 'a', 'b']);
    s.setSort('status');
    expect(visibleImages(useStudyStore.getState()).map((i) => i.id)).toEqual(['c', 'd', 'b', 'a']);
  });

  it('updates one image and resets', () => {
    useStudyStore.getState().updateImage({ ...IMAGES[0]!, status: 'labeled' });
    expect(useStudyStore.getState().images[0]!.status).toBe('labeled');
    useStudyStore.getState().reset();
    expect(useStudyStore.getState().images).toEqual([]);
  });
});

describe('nextUnlabeled', () => {
  const rows = [image('a', 'labeled'), image('b', 'unlabeled'), image('c', 'labeled'), image('d', 'predicted')];
  it.each([
    [null, 'b'],
    ['b', 'd'],
    ['d', 'b'],
    ['a', 'b'],
  ] as const)('after %s comes %s', (current, next) => {
    expect(nextUnlabeled(rows, current)).toBe(next);
  });
  it('is null when everything shown is labeled', () => {
    expect(nextUnlabeled([image('a', 'labeled')], 'a')).toBeNull();
    expect(nextUnlabeled([], null)).toBeNull();
  });
});
