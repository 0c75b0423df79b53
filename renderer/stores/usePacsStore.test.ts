// The PACS store remembers the DICOMweb URL across page loads and never stores the Authorization value.

import { beforeEach, describe, expect, it } from 'vitest';
import { installMemoryStorage, type MemoryStorage } from './testing/memoryStorage.js';
import { PACS_URL_KEY, usePacsStore } from './usePacsStore.js';

describe('usePacsStore', () => {
  let storage: MemoryStorage;
  beforeEach(() => {
    storage = installMemoryStorage();
    usePacsStore.getState().reset();
  });

  it('remembers the URL for the next page load, and keeps the Authorization value in memory only', () => {
    const s = usePacsStore.getState();
    s.setForm({ url: 'http://pacs:8042/dicom-web', authorization: 'Bearer secret' });
    s.rememberUrl('http://pacs:8042/dicom-web');
    expect(storage.getItem(PACS_URL_KEY)).toBe('http://pacs:8042/dicom-web');
    usePacsStore.getState().reset(); // what a reload does
    expect(usePacsStore.getState().form).toEqual({ url: 'http://pacs:8042/dicom-web', authorization: '', modality: '', since: '' });
    const stored = [...(storage as unknown as { items: Map<string, string> }).items.values()].join('\n');
    expect(stored).not.toContain('secret');
  });

  it('is connected after a search and until told otherwise; the dialog remembers why it opened', () => {
    const s = usePacsStore.getState();
    s.openDialog({ kind: 'sendSeg', imageId: 'scan', version: 2 });
    expect(usePacsStore.getState().purpose).toEqual({ kind: 'sendSeg', imageId: 'scan', version: 2 });
    s.searched('http://pacs', [], []);
    expect(usePacsStore.getState().connectedUrl).toBe('http://pacs');
    s.closeDialog();
    expect(usePacsStore.getState()).toMatchObject({ open: false, purpose: { kind: 'search' }, connectedUrl: 'http://pacs' });
    s.connected(null);
    expect(usePacsStore.getState().connectedUrl).toBeNull();
  });
});
