// The sweep of leftover temp files at study open: real leftovers of a dead process (from a child that
// really ran and exited, so its pid is free) go, those of live processes (this one, a running child) stay,
// and files that only look alike are never touched.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStudy } from './openStudy.js';
import { pidAlive, sweepTempFiles, tempFileOwner } from './sweepTemps.js';
import { makeTempDirs, studyWithImages } from './testing/fixtures.js';

const tmp = makeTempDirs();
afterAll(tmp.cleanup);

/** The pid of a process that has already exited (so no live process has it, barring reuse right now). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('tempFileOwner', () => {
  it.each([
    ['.seg-v3.nii.gz.4242-0123456789ab.tmp', 4242],
    ['.staged.nii.gz.17-abcdefabcdef.tmp', 17],
    ['.voxlab.sqlite.99-0123456789ab.tmp-wal', 99],
    ['.checkpoint.json.5-ffffffffffff.tmp', 5],
    ['.upload.123-00000000000a.tmp', 123],
    ['serve.token.77.tmp', 77],
    ['.pending-31-0123456789ab.nii.gz', 31],
    ['.pending-31-0123456789ab.nii.gz.31-abcdefabcdef.tmp', 31],
    ['seg-v3.nii.gz', null], // data
    ['.seg-v3.nii.gz.4242-0123.tmp', null], // not tempPathFor's 12 hex digits
    ['notes.4242-0123456789ab.tmp', null], // not hidden: a user's file
    ['.lock', null],
  ])('%s → %s', (name, pid) => {
    expect(tempFileOwner(name)).toBe(pid);
  });
});

describe('sweeping a study at open', () => {
  it('removes the temp files of dead processes everywhere in the study and keeps live ones and look-alikes', async () => {
    const root = tmp.make('voxlab-sweep-');
    const study = await studyWithImages(root, ['a']);
    const dir = study.dir;
    study.close();
    const dead = deadPid();
    expect(pidAlive(dead)).toBe(false);
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      const live = sleeper.pid!;
      const put = (rel: string) => {
        mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        writeFileSync(path.join(dir, rel), 'x');
        return rel;
      };
      const gone = [
        put(`labels/a/.seg-v2.nii.gz.${dead}-0123456789ab.tmp`),
        put(`labels/a/.pending-${dead}-0123456789ab.nii.gz`),
        put(`images/.staged.nii.gz.${dead}-0123456789ac.tmp`),
        put(`models/run-1/.epoch-0002.safetensors.${dead}-0123456789ad.tmp`),
        put(`maps/a/.m1.nii.gz.${dead}-0123456789ae.tmp`),
        put(`.uploads/.upload.${dead}-0123456789af.tmp`),
        put(`.voxlab.sqlite.${dead}-0123456789b0.tmp`),
        put(`.voxlab.sqlite.${dead}-0123456789b0.tmp-wal`),
        put(`serve.token.${dead}.tmp`),
        put(`.dicom-import-${dead}-AbC123/1_T1.nii.gz`),
      ];
      const stay = [
        put(`labels/a/.seg-v3.nii.gz.${live}-0123456789ab.tmp`), // another process writing now
        put(`images/.staged.nii.gz.${process.pid}-0123456789ab.tmp`), // this process
        put(`labels/a/seg-v1.nii.gz`),
        put(`images/notes.${dead}-0123456789ab.tmp`),
        put(`models/run-1/.lock`),
        put(`.dicom-import-${live}-XyZ789/1_T1.nii.gz`),
        put(`.dicom-import-Qw12er/1_T1.nii.gz`), // named without a pid: whose it is cannot be told
      ];
      // A link out of the study is not followed: what lies behind it is not the study's.
      const outside = path.join(root, 'outside');
      mkdirSync(outside);
      writeFileSync(path.join(outside, `.x.${dead}-0123456789ab.tmp`), 'x');
      symlinkSync(outside, path.join(dir, 'linked'));

      openStudy(dir).close();

      for (const rel of gone) expect(existsSync(path.join(dir, rel)), rel).toBe(false);
      expect(existsSync(path.join(dir, `.dicom-import-${dead}-AbC123`))).toBe(false);
      for (const rel of stay) expect(existsSync(path.join(dir, rel)), rel).toBe(true);
      expect(readdirSync(outside)).toEqual([`.x.${dead}-0123456789ab.tmp`]);
      // Once the other writer is gone, its file goes at the next open.
      sleeper.kill('SIGKILL');
      await new Promise((r) => sleeper.once('exit', r));
      const again = sweepTempFiles(dir);
      expect(again.removed.map((f) => path.relative(dir, f)).sort()).toEqual([`.dicom-import-${live}-XyZ789`, `labels/a/.seg-v3.nii.gz.${live}-0123456789ab.tmp`]);
      expect(again.kept.map((f) => path.relative(dir, f))).toEqual([`images/.staged.nii.gz.${process.pid}-0123456789ab.tmp`]);
      expect(again.failed).toEqual([]);
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  it('asks isAlive about each owner, and throws only when the study folder itself cannot be read', async () => {
    const root = tmp.make('voxlab-sweep-alive-');
    const study = await studyWithImages(root, ['a']);
    const dir = study.dir;
    study.close();
    const file = path.join(dir, 'labels', 'a', '.seg-v1.nii.gz.4242-0123456789ab.tmp');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, 'x');
    const asked: number[] = [];
    expect(sweepTempFiles(dir, (pid) => asked.push(pid) < 0)).toEqual({ removed: [file], kept: [], failed: [] });
    expect(asked).toEqual([4242]);
    expect(existsSync(file)).toBe(false);
    expect(() => sweepTempFiles(path.join(root, 'no-such-study'))).toThrow(/ENOENT/);
  });
});
