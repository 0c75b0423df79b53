// Upload ids fit the contract's id pattern and differ per attempt; file names stay unique inside an upload.

import { describe, expect, it } from 'vitest';
import { newUploadId, stageName } from './uploadNames.js';

/** The contract's 'id' (core/api/schema.ts). */
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

describe('newUploadId', () => {
  it('is a valid contract id with the local time and a random tail', () => {
    const id = newUploadId(new Date(2024, 0, 2, 3, 4, 5), () => 0.5);
    expect(id).toBe('upload-20240102-030405-iiiiiiii');
    expect(id).toMatch(ID);
  });
  it('differs between two attempts in the same second', () => {
    const now = new Date();
    expect(newUploadId(now)).not.toBe(newUploadId(now));
  });
});

describe('stageName', () => {
  it.each([
    [0, 'trio/S1/IM0001', '00000_IM0001'],
    [12, 'trio/S2/IM0001', '00012_IM0001'],
    [3, 'loose.dcm', '00003_loose.dcm'],
    [4, 'dir/', '00004_file'],
  ])('file %i at %s → %s', (index, path, want) => {
    expect(stageName(index, path)).toBe(want);
  });
});
