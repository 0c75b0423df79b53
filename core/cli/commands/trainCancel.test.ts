// Issue #18 through the real CLI: `voxlab train` in a child process, stopped by a real SIGINT during a later
// epoch (every scan cached), exits within a step with the way to resume; the resumed run is stopped by
// SIGTERM the same way (finished epochs kept, not lost with the process). Needs the build (npm test builds).

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempFolders, tinyStudy, writeTinyCohort } from '../../train/testing/tinyStudy.js';

const BIN = path.join(import.meta.dirname, '..', '..', '..', 'bin', 'voxlab.js');
const folders = tempFolders();
let studyDir: string;

beforeAll(async () => {
  const cohort = await writeTinyCohort(folders.make('voxlab-cancel-cohort-'));
  studyDir = path.join(folders.make('voxlab-cancel-study-'), 'study');
  (await tinyStudy(cohort, studyDir)).close();
}, 120_000);
afterAll(() => folders.cleanup());

interface Run {
  readonly child: ChildProcess;
  /** Resolves once stderr has printed `epoch N/` for some N >= `epoch`. */
  epochAtLeast(epoch: number): Promise<number>;
  /** Exit code and everything printed, once the process ends. */
  readonly ended: Promise<{ code: number | null; out: string; ms: number }>;
  signalledAt: number;
}

function train(args: string[]): Run {
  const child = spawn(process.execPath, [BIN, 'train', '--study', studyDir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const waiters: (() => void)[] = [];
  const onData = (c: Buffer) => {
    out += c.toString();
    waiters.splice(0).forEach((w) => w());
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const lastEpoch = () => Math.max(0, ...[...out.matchAll(/^epoch (\d+)\//gm)].map((m) => Number(m[1])));
  const run: Run = {
    child,
    signalledAt: 0,
    epochAtLeast: (epoch) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (lastEpoch() >= epoch) return resolve(lastEpoch());
          if (child.exitCode !== null) return reject(new Error(`train exited early: ${out}`));
          waiters.push(check);
        };
        check();
      }),
    ended: new Promise((resolve) => child.once('exit', (code) => resolve({ code, out, ms: Date.now() - run.signalledAt }))),
  };
  return run;
}

const checkpointEpoch = (runId: string) =>
  (JSON.parse(readFileSync(path.join(studyDir, 'models', runId, 'checkpoint.json'), 'utf8')) as { epoch: number }).epoch;

describe('voxlab train stops on a signal during a cached epoch', () => {
  it('SIGINT at epoch >= 3 stops within a step and says how to resume; SIGTERM stops the resumed run the same way', async () => {
    const common = ['--model', 'tiny', '--size', '32', '--batch', '2', '--val-interval', '1000', '--seed', '3'];
    const first = train([...common, '--epochs', '5000', '--id', 'cli-cached']);
    await first.epochAtLeast(3); // epoch 1 filled the cache: nothing in a step waits for I/O now
    first.signalledAt = Date.now();
    first.child.kill('SIGINT');
    const a = await first.ended;
    expect(a.out).toMatch(/stopping after the current step/);
    expect(a.code, a.out).toBe(2);
    expect(a.out).toMatch(/--resume cli-cached/);
    expect(a.ms).toBeLessThan(15_000);
    expect(existsSync(path.join(studyDir, 'models', 'cli-cached', 'checkpoint.json'))).toBe(true);
    const kept = checkpointEpoch('cli-cached');
    expect(kept).toBeGreaterThanOrEqual(3);

    const resumed = train(['--resume', 'cli-cached']);
    await resumed.epochAtLeast(kept + 2);
    resumed.signalledAt = Date.now();
    resumed.child.kill('SIGTERM');
    const b = await resumed.ended;
    expect(b.out).toMatch(/stopping after the current step \(SIGTERM again to kill\)/);
    expect(b.code, b.out).toBe(2);
    expect(b.out).toMatch(/--resume cli-cached/);
    expect(b.ms).toBeLessThan(15_000);
    expect(checkpointEpoch('cli-cached')).toBeGreaterThanOrEqual(kept + 2); // the epochs it finished are kept
  }, 180_000);
});
