// `voxlab import --dicomweb URL` as a user types it, against a real Orthanc: a summary on stdout and progress on
// stderr, the second run skipping what is there, the authorization from the environment (never printed),
// refusals in words with exit code 2.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { openStudy } from '../../datastore/index.js';
import { TCIA_3, dicomFiles } from '../../dicomweb/testing/data.js';
import { freePort, startOrthanc, type OrthancServer } from '../../dicomweb/testing/orthanc.js';
import { startProxy, type TestProxy } from '../../dicomweb/testing/proxy.js';
import { runCommands } from '../testing/captureCli.js';
import { AUTH_ENV, parseFilter } from './importDicomweb.js';
import { importCommand } from './importStudy.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'voxlab-cli-dicomweb-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => vi.unstubAllEnvs());
const voxlab = (...argv: string[]) => runCommands([importCommand], 'import', ...argv);

describe('voxlab import --dicomweb: options', () => {
  it('splits --filter into Keyword=Value pairs, keeping commas inside values', () => {
    expect(parseFilter('Modality=MR,SeriesDescription=t1, sag,BodyPartExamined=HEAD')).toEqual({ Modality: 'MR', SeriesDescription: 't1, sag', BodyPartExamined: 'HEAD' });
    expect(() => parseFilter('MR')).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
    expect(() => parseFilter('Modality=MR,Modality=CT')).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT', message: expect.stringMatching(/twice/) }));
  });

  it.each([
    [['--dicomweb', 'http://127.0.0.1:9/dicom-web', 'some/folder', '--study', 's'], /either a folder or --dicomweb/],
    [['--dicomweb', 'http://127.0.0.1:9/dicom-web', '--labels', 'x.csv', '--study', 's'], /--labels applies to folders/],
    [['some/folder', '--since', '20200101', '--study', 's'], /--since applies only with --dicomweb/],
    [['--study', 's'], /give a folder to import, or --dicomweb URL/],
    [['--dicomweb', 'ftp://pacs/dicom-web', '--study', 's'], /http:\/\/ or https:\/\//],
  ])('refuses %j in words with exit code 2', async (argv, message) => {
    const run = await voxlab(...argv.map((a) => (a === 's' ? path.join(root, 'never') : a)));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('says in its help to prefer the environment variable for the authorization', async () => {
    const run = await voxlab('--help');
    expect(run.stdout).toContain('--dicomweb');
    expect(run.stdout).toContain(AUTH_ENV);
  });
});

describe('voxlab import --dicomweb against Orthanc', () => {
  let orthanc: OrthancServer;
  let guarded: TestProxy;
  beforeAll(async () => {
    orthanc = await startOrthanc();
    await orthanc.uploadFiles(dicomFiles(TCIA_3));
    guarded = await startProxy(orthanc.rest, (req) => (req.headers.authorization === 'Bearer s3cret' ? { kind: 'pass' } : { kind: 'status', status: 401 }));
  });
  afterAll(async () => {
    await guarded?.close();
    await orthanc?.stop();
  });

  it('imports the new series with a summary, then skips them on the next run', async () => {
    const study = path.join(root, 'study-a');
    const first = await voxlab('--dicomweb', orthanc.root, '--study', study, '--filter', 'Modality=MR', '--since', '19900101');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`^imported 1 image\\(s\\) from ${orthanc.root} into ${study}`));
    expect(first.stdout).toMatch(/image {4}\S+ \(series 2 t1_mpr_tra_gk_v4\)/);
    expect(first.stderr).toMatch(/retrieving series 2 t1_mpr_tra_gk_v4 \(MR, 3 instance\(s\), patient/);
    const s = openStudy(study);
    expect(s.listImages()).toHaveLength(1);
    s.close();

    const second = await voxlab('--dicomweb', orthanc.root, '--study', study, '--json');
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual({ imported: [], skipped: [{ series: '2 t1_mpr_tra_gk_v4', reason: 'already in the study' }], warnings: [] });

    const none = await voxlab('--dicomweb', orthanc.root, '--study', study, '--filter', 'Modality=CT');
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/^imported 0 image\(s\)/);
  });

  it('takes the authorization from the environment or --auth-header, and never prints it', async () => {
    const url = `${guarded.url}/dicom-web`;
    const refused = await voxlab('--dicomweb', url, '--study', path.join(root, 'study-b'));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`the PACS at ${url} refused access (HTTP 401): check the authorization header [REMOTE_REFUSED]`);

    const wrong = await voxlab('--dicomweb', url, '--study', path.join(root, 'study-b'), '--auth-header', 'Bearer n0pe-n0pe');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr + wrong.stdout).not.toContain('n0pe');

    vi.stubEnv(AUTH_ENV, 'Bearer s3cret');
    const ok = await voxlab('--dicomweb', url, '--study', path.join(root, 'study-b'));
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^imported 1 image/);
    expect(ok.stdout + ok.stderr).not.toContain('s3cret');
  });

  it('exits 2 with REMOTE_UNREACHABLE when the server cannot be reached', async () => {
    const url = `http://127.0.0.1:${await freePort()}/dicom-web`;
    const run = await voxlab('--dicomweb', url, '--study', path.join(root, 'study-c'));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`the PACS at ${url} did not answer the series search after 4 tries.*\\[REMOTE_UNREACHABLE\\]`));
  });
});
