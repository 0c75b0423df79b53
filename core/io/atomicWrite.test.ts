import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { tempPathFor, writeFileAtomic } from './atomicWrite.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'voxlab-atomic-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('writes a new file and replaces an old one, leaving no temp file', async () => {
  const file = path.join(dir, 'out.json');
  await writeFileAtomic(file, '{"a": 1}');
  writeFileSync(path.join(dir, 'other'), 'x');
  await writeFileAtomic(file, new TextEncoder().encode('{"a": 2}'));
  expect(readFileSync(file, 'utf8')).toBe('{"a": 2}');
  expect(readdirSync(dir).sort()).toEqual(['other', 'out.json']);
});

it('fails with IO_ERROR into a missing folder and leaves nothing behind', async () => {
  await expect(writeFileAtomic(path.join(dir, 'no', 'out.bin'), 'x')).rejects.toMatchObject({ code: 'IO_ERROR' });
  expect(readdirSync(dir)).toEqual([]);
});

it('names temp files hidden, per process, distinct, and in the target folder', () => {
  const a = tempPathFor(path.join(dir, 'seg-v1.nii.gz'));
  const b = tempPathFor(path.join(dir, 'seg-v1.nii.gz'));
  expect(path.dirname(a)).toBe(dir);
  expect(path.basename(a)).toMatch(new RegExp(`^\\.seg-v1\\.nii\\.gz\\.${process.pid}-[0-9a-f]{12}\\.tmp$`));
  expect(a).not.toBe(b);
});
