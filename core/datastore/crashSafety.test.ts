// Proof of atomicity: a child process running the real datastore code writes labels and labelmaps in a loop
// and is killed with SIGKILL at random moments, many times, on one study. Afterwards every write it
// acknowledged is present and correct, every recorded labelmap file is complete, versions have no gaps,
// the database passes integrity_check, and no temp file is taken for a label.

import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SeededRandom } from '../common/random.js';
import { readNifti } from '../io/readNifti.js';
import { openStudy } from './openStudy.js';
import { buildChild } from './testing/buildChild.js';
import { CRASH_SHAPE, crashLabelmap } from './testing/crashPattern.js';
import type { CrashAck } from './testing/crashPattern.js';
import { REPO_ROOT, makeTempDirs, studyWithImages } from './testing/fixtures.js';

const KILLS = 40;
/** Writers started ahead of their turn (one per core here). */
const AHEAD = 2;
const tmp = makeTempDirs();
let studyDir: string;
let child: string;

beforeAll(async () => {
  const root = tmp.make('voxlab-crash-');
  const study = await studyWithImages(root, ['a', 'b', 'c'], CRASH_SHAPE);
  studyDir = study.dir;
  study.close();
  child = buildChild(path.join(REPO_ROOT, 'core/datastore/testing/crashWriter.ts'), REPO_ROOT, path.join(root, 'child'));
});
afterAll(tmp.cleanup);

/** A writer process that has been started; `go` lets it open the study and write until it is killed. */
interface Writer {
  /** Resolves once the writer has loaded its modules and waits to start. */
  readonly loaded: Promise<void>;
  /**
   * Starts it and SIGKILLs it `delayMs` after its `afterWrites`-th acknowledged write (counting from 0: after
   * it reports the study open), or — when `afterWrites` is null — `delayMs` after the start (possibly while it
   * opens the study). Counting writes keeps the test's coverage the same on a busy machine. Resolves with its
   * acknowledged writes once it is dead.
   */
  go(afterWrites: number | null, delayMs: number): Promise<{ acks: CrashAck[]; signal: NodeJS.Signals | null; stderr: string }>;
}

function startWriter(tag: string): Writer {
  const proc = spawn(process.execPath, [child, studyDir, tag], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let stderr = '';
  let onOutput = (): void => {};
  // Only complete lines count: a line cut by the kill was never fully acknowledged.
  const lines = () => out.split('\n').slice(0, -1).map((l) => JSON.parse(l) as CrashAck);
  proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    onOutput();
  });
  proc.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<NodeJS.Signals | null>((resolve, reject) => {
    proc.on('exit', (_code, signal) => resolve(signal));
    proc.on('error', reject);
  });
  const loaded = new Promise<void>((resolve, reject) => {
    onOutput = () => {
      if (out.includes('\n')) resolve();
    };
    void exited.then(() => reject(new Error(`writer ${tag} died while loading: ${stderr}`)));
  });
  return {
    loaded,
    go: async (afterWrites, delayMs) => {
      let timer: NodeJS.Timeout | undefined;
      const kill = () => proc.kill('SIGKILL');
      if (afterWrites === null) timer = setTimeout(kill, delayMs);
      else {
        onOutput = () => {
          const acks = lines();
          const writes = acks.filter((a) => a.kind === 'class' || a.kind === 'seg').length;
          if (timer === undefined && acks.some((a) => a.kind === 'ready') && writes >= afterWrites) timer = setTimeout(kill, delayMs);
        };
        onOutput();
      }
      proc.stdin.write('go\n');
      const signal = await exited;
      clearTimeout(timer);
      return { acks: lines().filter((a) => a.kind === 'class' || a.kind === 'seg'), signal, stderr };
    },
  };
}

it(`keeps every acknowledged write through ${KILLS} SIGKILLs`, async () => {
  const random = new SeededRandom(20261125);
  const acks: CrashAck[] = [];
  const t0 = performance.now();
  // Writers load AHEAD at a time in the background, so Node's start-up overlaps the previous writer's run.
  const waiting = Array.from({ length: AHEAD }, (_, k) => startWriter(`r${k}`));
  for (let run = 0; run < KILLS; run++) {
    const writer = waiting.shift()!;
    if (run + AHEAD < KILLS) waiting.push(startWriter(`r${run + AHEAD}`));
    await writer.loaded;
    // One run in five is killed early, by the clock; the others after 0-7 writes plus 0-15 ms (mid-write).
    const early = run % 5 === 4;
    const result = await writer.go(early ? null : random.int(0, 8), early ? random.int(0, 40) : random.int(0, 16));
    expect(result.signal, `writer r${run} ended by itself: ${result.stderr}`).toBe('SIGKILL');
    acks.push(...result.acks);
    openStudy(studyDir).close(); // reopens cleanly (WAL recovery, quick_check) after every kill
  }
  const seconds = (performance.now() - t0) / 1000;

  const study = openStudy(studyDir);
  try {
    expect(study.db.pragma('integrity_check', { simple: true })).toBe('ok');
    const classAcks = acks.filter((a) => a.kind === 'class');
    const segAcks = acks.filter((a) => a.kind === 'seg');
    for (const a of classAcks) {
      const v = study.getLabelHistory(a.id).find((h) => h.version === a.version);
      expect(v, `acknowledged class label ${a.id} v${a.version}`).toMatchObject({ label: a.label, conflict: a.conflict });
    }
    for (const a of segAcks) {
      const v = study.getLabelmapHistory(a.id).find((h) => h.version === a.version);
      expect(v, `acknowledged labelmap ${a.id} v${a.version}`).toBeDefined();
      expect(Array.from((await readNifti(v!.path)).data)).toEqual(Array.from(crashLabelmap(a.salt).data));
    }
    let orphans = 0;
    let temps = 0;
    for (const id of ['a', 'b', 'c']) {
      const classVersions = study.getLabelHistory(id).map((v) => v.version);
      expect(classVersions).toEqual(classVersions.map((_, k) => k + 1));
      const maps = study.getLabelmapHistory(id);
      expect(maps.map((v) => v.version)).toEqual(maps.map((_, k) => k + 1));
      for (const m of maps) {
        expect(path.basename(m.path)).toBe(`seg-v${m.version}.nii.gz`);
        expect((await readNifti(m.path)).shape).toEqual(CRASH_SHAPE); // recorded but maybe unacknowledged: still complete
      }
      // On disk: hidden temp files of killed writes, and at most one seg-v<n> written but never committed (n = last + 1).
      const files = readdirSync(path.join(studyDir, 'labels', id));
      const hidden = files.filter((f) => f.startsWith('.'));
      const seg = files.filter((f) => !f.startsWith('.'));
      expect(seg.every((f) => /^seg-v\d+\.nii\.gz$/.test(f))).toBe(true);
      const unrecorded = seg.filter((f) => !maps.some((m) => path.basename(m.path) === f));
      expect(unrecorded.every((f) => f === `seg-v${maps.length + 1}.nii.gz`)).toBe(true);
      orphans += unrecorded.length;
      temps += hidden.length;
    }
    console.log(
      `crash test: ${KILLS} kills in ${seconds.toFixed(1)} s; verified ${classAcks.length} acknowledged class labels ` +
        `(${classAcks.filter((a) => a.conflict).length} conflicts) and ${segAcks.length} labelmaps; ` +
        `${temps} temp files and ${orphans} uncommitted labelmap files left by kills, none recorded`,
    );
    expect(classAcks.length).toBeGreaterThan(KILLS);
    expect(segAcks.length).toBeGreaterThan(KILLS / 4);
  } finally {
    study.close();
  }
});
