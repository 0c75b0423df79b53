// `voxlab users` and `voxlab audit` through the built CLI (issue #13): an account added prints its token
// once and the token opens the study's server; disable and rotate are recorded in the audit log; a
// tampered log makes `voxlab audit` exit 1 naming the row; bad input is refused in words.

import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { accountForToken } from '../../datastore/accounts.js';
import { openStudy } from '../../datastore/index.js';
import { setRead } from '../../datastore/reads.js';
import { makeTempDirs, studyWithImages } from '../../datastore/testing/fixtures.js';
import { runVoxlab } from '../testing/runVoxlab.js';

const temp = makeTempDirs();
afterAll(() => temp.cleanup());

describe('voxlab users / audit', () => {
  it('adds, lists, rotates and disables accounts; the audit log records each and checks out', async () => {
    const root = temp.make('voxlab-users-');
    (await studyWithImages(root, ['a'], [2, 2, 2])).close();
    const study = path.join(root, 'study');
    const added = await runVoxlab(['users', 'add', 'Dr Ana', '--role', 'reviewer', '--study', study]);
    expect(added.code, added.stderr).toBe(0);
    const token = /^(vxl_\d+_[A-Za-z0-9_-]{43})$/m.exec(added.stdout)?.[1];
    expect(token, added.stdout).toBeDefined();
    expect(added.stdout).toMatch(/shown this once/);
    const s = openStudy(study);
    expect(accountForToken(s, token!)).toMatchObject({ name: 'Dr Ana', role: 'reviewer' });
    s.close();
    const listed = await runVoxlab(['users', 'list', '--study', study, '--json']);
    expect(JSON.parse(listed.stdout)).toMatchObject([{ name: 'Dr Ana', role: 'reviewer', disabledAt: null }]);
    expect(listed.stdout).not.toContain(token!.slice(8));
    const rotated = await runVoxlab(['users', 'rotate', 'Dr Ana', '--study', study, '--json']);
    const fresh = (JSON.parse(rotated.stdout) as { token: string }).token;
    expect(fresh).not.toBe(token);
    expect((await runVoxlab(['users', 'disable', 'Dr Ana', '--study', study])).stdout).toMatch(/refused from now on/);
    const s2 = openStudy(study);
    expect(accountForToken(s2, token!)).toBeNull();
    expect(accountForToken(s2, fresh)).toBeNull();
    s2.close();
    const audit = await runVoxlab(['audit', '--study', study, '--json']);
    expect(audit.code).toBe(0);
    const { rows, chain } = JSON.parse(audit.stdout) as { rows: { method: string; target: string; account: string }[]; chain: { ok: boolean } };
    expect(rows.map((r) => r.method)).toEqual(['users.add', 'users.rotate', 'users.disable']);
    expect(rows.every((r) => r.target === 'Dr Ana' && r.account === 'local')).toBe(true);
    expect(chain.ok).toBe(true);
    expect(audit.stdout).not.toMatch(/vxl_\d+_/);
    // Edited behind voxlab's back: the chain breaks, `voxlab audit` says where and exits 1.
    const s3 = openStudy(study);
    s3.db.exec("DROP TRIGGER audit_no_update; UPDATE audit SET target = 'Dr Bob' WHERE seq = 2");
    s3.close();
    const broken = await runVoxlab(['audit', '--study', study]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/THE AUDIT LOG WAS EDITED: row 2: its content does not match its hash/);
  }, 60_000);

  it('voxlab agreement prints the readers\' kappa (a hand computation) and the disagreements', async () => {
    const root = temp.make('voxlab-agreement-');
    const s = await studyWithImages(root, ['a', 'b', 'c'], [2, 2, 2]);
    // Reader one: lesion, control, lesion; reader two: control, control, lesion: kappa = (2/3 - 4/9) / (5/9) = 0.4.
    const reads: [string, string, string][] = [['a', 'lesion', 'control'], ['b', 'control', 'control'], ['c', 'lesion', 'lesion']];
    for (const [id, one, two] of reads) {
      setRead(s, id, 'reader one', one);
      setRead(s, id, 'reader two', two);
    }
    s.close();
    const study = path.join(root, 'study');
    const json = await runVoxlab(['agreement', '--study', study, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as { cohen: { kappa: number }; disagreements: { imageId: string }[] };
    expect(report.cohen.kappa).toBeCloseTo(0.4, 12);
    expect(report.disagreements.map((d) => d.imageId)).toEqual(['a']);
    const text = await runVoxlab(['agreement', '--study', study]);
    expect(text.stdout).toMatch(/Cohen's kappa 0\.40/);
  }, 60_000);

  it('refuses a bad role, a missing name, an unknown account and a taken name, in words', async () => {
    const root = temp.make('voxlab-users-bad-');
    (await studyWithImages(root, ['a'], [2, 2, 2])).close();
    const study = path.join(root, 'study');
    const badRole = await runVoxlab(['users', 'add', 'x', '--role', 'boss', '--study', study]);
    expect(badRole.code).not.toBe(0);
    expect(badRole.stderr).toMatch(/role must be one of annotator, reviewer, researcher, admin/);
    expect((await runVoxlab(['users', 'disable', '--study', study])).stderr).toMatch(/needs the account name/);
    expect((await runVoxlab(['users', 'rotate', 'nobody', '--study', study])).stderr).toMatch(/no account "nobody"/);
    await runVoxlab(['users', 'add', 'x', '--role', 'annotator', '--study', study]);
    expect((await runVoxlab(['users', 'add', 'x', '--role', 'admin', '--study', study])).stderr).toMatch(/already an account "x"/);
  }, 60_000);
});
