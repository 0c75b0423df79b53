// The scan under review keeps only its own reads: an answer for a scan left meanwhile is dropped.

import { beforeEach, describe, expect, it } from 'vitest';
import { useReadingStore } from './useReadingStore.js';

const read = (imageId: string, reader: string, label: string) => ({ imageId, reader, label, version: 1, createdAt: '2026-01-01T00:00:00Z' });

describe('useReadingStore', () => {
  beforeEach(() => useReadingStore.getState().reset());

  it('drops the reads of a scan that is no longer under review', () => {
    const s = useReadingStore.getState();
    s.openScan('a');
    s.openScan('b');
    s.setScan('a', [read('a', 'ann1', '0')], null);
    expect(useReadingStore.getState()).toMatchObject({ imageId: 'b', reads: [] });
    s.setScan('b', [read('b', 'ann1', '1')], { label: '1', version: 2, author: 'rev', createdAt: null });
    expect(useReadingStore.getState().reads).toHaveLength(1);
    expect(useReadingStore.getState().reference?.author).toBe('rev');
  });

  it('opening the same scan again keeps what is shown; another scan clears it and its problem', () => {
    const s = useReadingStore.getState();
    s.openScan('a');
    s.setScan('a', [read('a', 'ann1', '0')], null);
    s.setProblem('refused');
    s.openScan('a');
    expect(useReadingStore.getState()).toMatchObject({ reads: [read('a', 'ann1', '0')], problem: 'refused' });
    s.openScan('b');
    expect(useReadingStore.getState()).toMatchObject({ reads: [], reference: null, problem: null });
  });
});
