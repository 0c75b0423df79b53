// Uploads are streamed to disk, never buffered whole (issue #15 item 3), measured on the real server: the
// built `voxlab serve` runs in its own process, a 256 MiB upload (generated as it is sent, never held by
// the test either) goes to dicom.stage, and the server's peak resident memory (VmHWM, Linux /proc) must
// grow by much less than the upload. An over-limit streamed upload is refused, and leaves no file.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDirs, studyWithImages } from '../datastore/testing/fixtures.js';
import { uploadDir } from './service/dicomUploads.js';
import { rawUpload } from './testing/rawUpload.js';
import { UPLOAD_TEMP_DIR } from './uploadFile.js';

const BIN = path.join(import.meta.dirname, '..', '..', 'bin', 'voxlab.js');
const MiB = 1 << 20;
const UPLOAD = 256 * MiB;
/** Allowed growth of the server's peak memory: a few chunks and buffers, far below the upload. */
const MAX_GROWTH = 64 * MiB;

const temp = makeTempDirs();
let child: ChildProcess;
let studyDir: string;
let serving: { url: string; token: string };

/** The server process's peak resident set (VmHWM) in bytes. */
function peakMemory(pid: number): number {
  const kib = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (kib === null) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Number(kib[1]) * 1024;
}

const tempFiles = () => {
  const dir = path.join(studyDir, UPLOAD_TEMP_DIR);
  return existsSync(dir) ? readdirSync(dir) : [];
};

// /proc/<pid>/status is Linux's; elsewhere there is no peak-memory figure of another process to read.
describe.runIf(process.platform === 'linux')('uploads to `voxlab serve` (its own process)', () => {
  beforeAll(async () => {
    const root = temp.make('voxlab-upmem-');
    (await studyWithImages(root, ['img-a'], [4, 5, 6])).close();
    studyDir = path.join(root, 'study');
    child = spawn(process.execPath, [BIN, 'serve', '--study', studyDir, '--port', '0', '--json'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout! });
    const [line] = await Promise.race([
      new Promise<string[]>((resolve) => lines.once('line', (l) => resolve([l]))),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('voxlab serve did not start in 30 s')), 30_000),
      ),
    ]);
    serving = JSON.parse(line!) as { url: string; token: string };
  }, 40_000);
  afterAll(() => {
    child?.kill('SIGTERM');
    temp.cleanup();
  });

  it('a 256 MiB dicom.stage upload raises the server peak memory by less than 64 MiB, and is stored whole', async () => {
    const send = (uploadId: string, size: number) =>
      rawUpload({
        url: serving.url,
        method: 'PUT',
        path: `/api/dicom/uploads/${uploadId}?name=IM0001`,
        token: serving.token,
        size,
      });
    expect((await send('warm-up', 4 * MiB)).status).toBe(200); // the code paths loaded before the baseline
    const before = peakMemory(child.pid!);
    const out = await send('big', UPLOAD);
    const after = peakMemory(child.pid!);
    expect(out.status, out.body).toBe(200);
    expect(JSON.parse(out.body!)).toMatchObject({ files: 1, bytes: UPLOAD });
    process.stdout.write(
      `voxlab serve VmHWM: ${(before / MiB).toFixed(1)} MiB before, ${(after / MiB).toFixed(1)} MiB after a ${UPLOAD / MiB} MiB upload\n`,
    );
    expect(after - before).toBeLessThan(MAX_GROWTH);
    const [stored] = readdirSync(uploadDir(studyDir, 'big'));
    expect(statSync(path.join(uploadDir(studyDir, 'big'), stored!)).size).toBe(UPLOAD);
    expect(tempFiles()).toEqual([]);
  }, 120_000);

  it('a chunked upload past the limit (labelmaps.save, 256 MiB) is answered 413 TOO_LARGE and leaves no file', async () => {
    const before = peakMemory(child.pid!);
    const out = await rawUpload({
      url: serving.url,
      method: 'PUT',
      path: '/api/datastore/images/img-a/labelmap?author=tester',
      token: serving.token,
      size: UPLOAD + 64 * MiB,
      chunked: true,
    });
    expect(out.status, out.error).toBe(413);
    expect(JSON.parse(out.body!).error.code).toBe('TOO_LARGE');
    expect(peakMemory(child.pid!) - before).toBeLessThan(MAX_GROWTH);
    for (let i = 0; i < 100 && tempFiles().length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(tempFiles()).toEqual([]);
  }, 120_000);
});
