// dicom.stage racing the end of its upload (found by the HTTP fuzzer, issue #15): a file that arrives while
// dicom.importStaged removes the upload folder is refused with a coded error, never an INTERNAL 500.

import { mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isVoxlabError } from '../../common/errors.js';
import { stageFile, uploadDir } from './dicomUploads.js';

const root = mkdtempSync(path.join(tmpdir(), 'voxlab-stage-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('stageFile', () => {
  it('answers or refuses with CANCELLED while its upload folder is removed under it', async () => {
    const outcomes = new Set<string>();
    for (let n = 0; n < 300; n++) {
      const staging = stageFile(root, 'up-1', 'IM0001', new Uint8Array(64).fill(7)).then(
        () => 'ok',
        (e: unknown) => (isVoxlabError(e) ? e.code : `raw ${(e as Error).message}`),
      );
      await rm(uploadDir(root, 'up-1'), { recursive: true, force: true });
      outcomes.add(await staging);
    }
    expect([...outcomes].filter((o) => o !== 'ok' && o !== 'CANCELLED')).toEqual([]);
  });
});
