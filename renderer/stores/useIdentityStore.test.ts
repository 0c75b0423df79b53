// The reader's name is kept cleaned, remembered across page loads (localStorage) and never blank.

import { browserStorage } from './browserStorage.js';
import { installMemoryStorage } from './testing/memoryStorage.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { READER_KEY, cleanReaderName, useIdentityStore } from './useIdentityStore.js';
import { currentReader, readerForWrite } from '../api/identity.js';

describe('reader identity', () => {
  beforeEach(() => {
    installMemoryStorage();
    useIdentityStore.getState().reset();
  });

  it.each([
    ['  Dr  Ada   Lovelace ', 'Dr Ada Lovelace'],
    ['   ', null],
    ['', null],
    ['x'.repeat(200), 'x'.repeat(80)],
  ])('cleans %j to %j', (raw, want) => {
    expect(cleanReaderName(raw)).toBe(want);
  });

  it('has no reader until one is entered, then remembers it for the next page load', () => {
    expect(currentReader()).toBeNull();
    useIdentityStore.getState().setReader(' dr-a ');
    expect(currentReader()).toBe('dr-a');
    expect(browserStorage()!.getItem(READER_KEY)).toBe('dr-a');
    useIdentityStore.setState({ reader: null });
    useIdentityStore.getState().reset(); // what a reload does: read the remembered name
    expect(currentReader()).toBe('dr-a');
  });

  it('refuses a blank name and keeps the previous one', () => {
    useIdentityStore.getState().setReader('dr-a');
    useIdentityStore.getState().setReader('   ');
    expect(currentReader()).toBe('dr-a');
  });

  it('a write without a reader gets null and opens the dialog with the reason', () => {
    expect(readerForWrite('to save the label')).toBeNull();
    const s = useIdentityStore.getState();
    expect(s.asking).toBe(true);
    expect(s.reason).toMatch(/to save the label/);
    s.setReader('dr-b');
    expect(useIdentityStore.getState().asking).toBe(false);
    expect(readerForWrite('to save the label')).toBe('dr-b');
  });
});
