// Uploading chosen files: one upload id, a unique name per file even for equal names in two folders, each
// file read only right before it is sent (never the whole folder in memory), empty files left out.

import { describe, expect, it } from 'vitest';
import { uploadFiles } from './folderUpload.js';
import type { PickedFile } from './pickedFiles.js';

describe('uploadFiles', () => {
  it('reads each file just before staging it, under one upload id, with unique names', async () => {
    let read = 0;
    let staged = 0;
    let mostHeld = 0;
    const picked = (path: string, size = 10): PickedFile => ({
      path,
      file: {
        name: path.split('/').pop()!,
        size,
        arrayBuffer: async () => {
          read += 1;
          mostHeld = Math.max(mostHeld, read - staged);
          return new ArrayBuffer(size);
        },
      },
    });
    const files = [
      ...Array.from({ length: 9 }, (_, i) => picked(`trio/S1/IM${i}`)),
      picked('trio/S2/IM0'),
      picked('trio/empty', 0),
    ];
    const calls: { uploadId: string; name: string; bytes: number }[] = [];
    const api = {
      dicom: {
        stage: async (args: { uploadId: string; name: string }, data?: ArrayBuffer | ArrayBufferView) => {
          await new Promise((r) => setTimeout(r, 1));
          staged += 1;
          calls.push({ ...args, bytes: data?.byteLength ?? 0 });
          return { uploadId: args.uploadId, files: calls.length, bytes: 0 };
        },
      },
    };
    const progress = await uploadFiles(api, files, 'upload-1');
    expect(progress).toEqual({ done: 10, total: 10, bytes: 100 });
    expect(new Set(calls.map((c) => c.uploadId))).toEqual(new Set(['upload-1']));
    expect(new Set(calls.map((c) => c.name)).size).toBe(10);
    expect(calls.map((c) => c.name)).toContain('00009_IM0');
    expect(calls.map((c) => c.name)).toContain('00000_IM0');
    expect(calls.every((c) => c.bytes === 10)).toBe(true);
    expect(mostHeld).toBeLessThanOrEqual(4);
  });
});
