// "Left for me" in a blinded reader study (issue #13): the scans I have not read while they still need
// reads; a scan I read, or one with all its reads, is not left for me; outside a reader study nothing is.

import { describe, expect, it } from 'vitest';
import type { ImageSummary } from '../../core/api/index.js';
import { leftForMe, visibleImages } from './useStudyStore.js';

function image(id: string, reading?: ImageSummary['reading']): ImageSummary {
  return {
    id,
    shape: [4, 4, 4],
    format: 'nifti1',
    storage: 'copy',
    addedAt: '2026-01-01T00:00:00Z',
    addedBy: 'test',
    status: reading?.mine != null ? 'labeled' : 'unlabeled',
    label: reading?.mine ?? null,
    labelVersion: reading?.mine != null ? 1 : 0,
    labelmapVersion: 0,
    prediction: null,
    ...(reading !== undefined ? { reading } : {}),
  };
}

describe('leftForMe', () => {
  it.each([
    ['not read by me, 0 of 2 reads', { mine: null, done: 0, needed: 2 }, true],
    ['not read by me, 1 of 2 reads (by someone else)', { mine: null, done: 1, needed: 2 }, true],
    ['read by me', { mine: 'M', done: 1, needed: 2 }, false],
    ['not read by me but its reads are done', { mine: null, done: 2, needed: 2 }, false],
    ['not a reader study', undefined, false],
  ] as const)('%s -> %s', (_what, reading, want) => {
    expect(leftForMe(image('a', reading))).toBe(want);
  });

  it('is a filter of the list', () => {
    const images = [
      image('a', { mine: 'F', done: 1, needed: 2 }),
      image('b', { mine: null, done: 1, needed: 2 }),
      image('c', { mine: null, done: 2, needed: 2 }),
      image('d', { mine: null, done: 0, needed: 2 }),
    ];
    const rows = visibleImages({ images, filter: 'left', sort: 'id', search: '', scores: {} });
    expect(rows.map((i) => i.id)).toEqual(['b', 'd']);
  });
});
