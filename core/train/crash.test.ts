// Resume after a crash: a child process training the same run is killed with SIGKILL in the middle of an
// epoch; resuming in this process must end with exactly the weights of an uninterrupted run.

import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildChild } from '../datastore/testing/buildChild.js';
import type { Study } from '../datastore/index.js';
import { parseSafetensors } from '../model/index.js';
import { useBackend } from '../model/testing/backends.js';
import { readCheckpoint, runFolder } from './checkpoint.js';
import { TINY_CONFIG, tempFolders, tinyStudy, writeTinyCohort } from './testing/tinyStudy.js';
import { resumeTraining, train } from './train.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const temp = tempFolders();
let study: Study;

beforeAll(async () => {
  await useBackend('cpu');
  const cohort = await writeTinyCohort(temp.make('voxlab-cohort-'));
  study = await tinyStudy(cohort, path.join(temp.make('voxlab-crash-'), 'study'));
});

afterAll(() => {
  study.close();
  temp.cleanup();
});

/**
 * Runs the child until it has saved `epochs` epochs and finished step `step` of the next one, then kills it
 * (mid-epoch however fast the steps are). Resolves with the epochs it reported saved.
 */
function trainAndKill(script: string, runId: string, epochs: number, step: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, study.dir, runId], { stdio: ['ignore', 'pipe', 'pipe'] });
    const seen: number[] = [];
    let stderr = '';
    let pending = '';
    child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
    child.stdout.on('data', (d: Buffer) => {
      const lines = (pending + String(d)).split('\n');
      pending = lines.pop()!;
      for (const line of lines.filter((l) => l.trim() !== '')) {
        const msg = JSON.parse(line) as { epoch?: number; stepOf?: number; step?: number };
        if (msg.epoch !== undefined) seen.push(msg.epoch);
        if (msg.stepOf === epochs + 1 && msg.step === step) child.kill('SIGKILL');
      }
    });
    child.on('exit', (_code, signal) =>
      signal === 'SIGKILL' ? resolve(seen) : reject(new Error(`child ended without being killed: ${stderr}`)),
    );
  });
}

const tensors = (runId: string, file: string) => {
  const parsed = parseSafetensors(new Uint8Array(readFileSync(path.join(runFolder(study.dir, runId), file))));
  return new Map([...parsed.tensors].map(([k, t]) => [k, Buffer.from(t.bytes)]));
};

it('a run killed mid-epoch resumes from its last checkpoint to the uninterrupted result', async () => {
  const script = buildChild(
    path.join(REPO, 'core/train/testing/crashTrainer.ts'),
    REPO,
    temp.make('voxlab-child-'),
  );
  const straight = await train(study, TINY_CONFIG, { runId: 'straight' });

  expect(await trainAndKill(script, 'crashed', 2, 1)).toEqual([1, 2]);
  const checkpoint = await readCheckpoint(runFolder(study.dir, 'crashed'));
  expect(checkpoint!.epoch).toBeGreaterThanOrEqual(2); // epoch 3 may have been saved before the kill
  const resumed = await resumeTraining(study, 'crashed');

  expect(resumed.history.map((h) => h.train.loss)).toEqual(straight.history.map((h) => h.train.loss));
  expect(tensors('crashed', 'epoch-0004.safetensors')).toEqual(tensors('straight', 'epoch-0004.safetensors'));
  expect(study.getRunMetrics('crashed').map((r) => r.epoch)).toEqual([1, 2, 3, 4]);
  expect(readdirSync(runFolder(study.dir, 'crashed')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
});
