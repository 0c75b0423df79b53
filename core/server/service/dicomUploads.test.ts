// dicom.stage racing the end of its upload (found by the HTTP fuzzer, issue #15): a file that arrives while
// dicom.importStaged removes the upload folder is refused with a coded error, never an INTERNAL 500.

import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
      const file = path.join(root, `.upload.${n}.tmp`);
      writeFileSync(file, new Uint8Array(64).fill(7));
      const staging = stageFile(root, 'up-1', 'IM0001', { path: file, size: 64 }).then(
        () => 'ok',
        (e: unknown) => (isVoxlabError(e) ? e.code : `raw ${(e as Error).message}`),
      );
      await rm(uploadDir(root, 'up-1'), { recursive: true, force: true });
      outcomes.add(await staging);
    }
    expect([...outcomes].filter((o) => o !== 'ok' && o !== 'CANCELLED')).toEqual([]);
  });

  it('moves the upload temp file into the upload folder (no copy left behind) and counts it', async () => {
    const file = path.join(root, '.upload.moved.tmp');
    writeFileSync(file, new Uint8Array(100).fill(3));
    const answer = await stageFile(root, 'up-move', 'dir/IM 2.dcm', { path: file, size: 100 });
    expect(answer).toEqual({ uploadId: 'up-move', files: 1, bytes: 100 });
    expect(existsSync(file)).toBe(false);
    const [stored] = readdirSync(uploadDir(root, 'up-move'));
    expect(stored).toMatch(/_IM_2\.dcm$/);
    expect(readFileSync(path.join(uploadDir(root, 'up-move'), stored!))).toEqual(Buffer.alloc(100, 3));
  });
});
