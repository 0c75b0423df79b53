import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { epochFiles, isBetter, lockRun } from './checkpoint.js';
import type { ClassificationMetrics } from './metrics.js';

const m = (accuracy: number, loss: number): ClassificationMetrics => ({
  n: 4,
  accuracy,
  loss,
  auc: null,
  confusion: [],
});
const dir = mkdtempSync(path.join(os.tmpdir(), 'voxlab-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('checkpoint rules', () => {
  it.each([
    [m(0.5, 0.7), null, true],
    [m(0.75, 0.9), m(0.5, 0.1), true], // accuracy first
    [m(0.5, 0.6), m(0.5, 0.7), true], // tie → lower loss
    [m(0.5, 0.7), m(0.5, 0.7), false], // a full tie keeps the earlier epoch
    [m(0.25, 0.1), m(0.5, 0.9), false],
  ])('isBetter(%j, %j) = %s', (candidate, best, expected) => {
    expect(isBetter(candidate, best)).toBe(expected);
  });

  it('names epoch files so that they sort by epoch', () => {
    expect(epochFiles(7)).toEqual({
      weights: 'epoch-0007.safetensors',
      optimizer: 'epoch-0007.optimizer.safetensors',
    });
  });
});

describe('lockRun', () => {
  it('lets one training at a time hold a run, also within one process', async () => {
    const release = await lockRun(dir);
    await expect(lockRun(dir)).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    await release();
    await (
      await lockRun(dir)
    )();
  });

  it('takes over the lock of a process that died, or of an earlier process with our pid', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!; // exited: its pid is free (or reused, rarely)
    writeFileSync(path.join(dir, '.lock'), JSON.stringify({ pid: dead, started: 1 }));
    await (
      await lockRun(dir)
    )();
    writeFileSync(path.join(dir, '.lock'), JSON.stringify({ pid: process.pid, started: 1 }));
    const release = await lockRun(dir);
    expect(JSON.parse(readFileSync(path.join(dir, '.lock'), 'utf8'))).toMatchObject({ pid: process.pid });
    await release();
  });
});
