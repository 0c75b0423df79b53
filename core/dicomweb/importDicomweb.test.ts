// Importing a PACS's series into a study (issue #11) against a real Orthanc: each series once, nothing on the
// second run, only the new series on the third; completed across a dropped connection and a 503; refused
// without the right authorization (the secret in no message); a server that keeps dropping leaves nothing
// half-imported; a series without images is skipped while the others come in; no patient name in any line.

import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getImageSource, openStudy, type Study } from '../datastore/index.js';
import { importFromDicomweb, phiScrubber } from './importDicomweb.js';
import { searchSeries, type RemoteSeries } from './qido.js';
import { ENHANCED, MPRAGE, TCIA_3, dicomFiles } from './testing/data.js';
import { startOrthanc, type OrthancServer } from './testing/orthanc.js';
import { startProxy, type ProxyRule } from './testing/proxy.js';
import { tinyDicom } from './testing/tinyDicom.js';

const fast = { retryDelaysMs: [1, 1, 1] };
const root = mkdtempSync(path.join(os.tmpdir(), 'voxlab-import-dicomweb-'));
let studies = 0;
const newStudy = (): Study => openStudy(path.join(root, `study-${++studies}`), { create: { name: 'from the PACS' } });

describe('phiScrubber', () => {
  it.each([
    ['warning for Doe^Jane', 'warning for [patient]'],
    ['Jane Doe and Doe, Jane and Doe Jane', '[patient] and [patient] and [patient]'],
    ['Dr. Doe said', 'Dr. [patient] said'],
    ['patient DOE-123, Jane Austen', 'patient DOE-123, Jane Austen'],
  ])('scrubs %j', (line, expected) => {
    expect(phiScrubber([{ patientName: 'Doe^Jane' }, { patientName: null }])(line)).toBe(expected);
  });
});

describe('importFromDicomweb against Orthanc', () => {
  let orthanc: OrthancServer;
  let rows: RemoteSeries[];
  const closers: (() => Promise<void>)[] = [];
  const byDescription = (d: string) => rows.find((r) => r.seriesDescription === d)!;

  beforeAll(async () => {
    orthanc = await startOrthanc();
    await orthanc.uploadFiles([...dicomFiles(MPRAGE), ...dicomFiles(TCIA_3)]);
    rows = await searchSeries({ url: orthanc.root });
  });
  afterAll(async () => {
    await Promise.all(closers.map((c) => c()));
    await orthanc?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const proxy = async (rule: ProxyRule) => {
    const p = await startProxy(orthanc.rest, rule);
    closers.push(p.close);
    return { ...p, root: `${p.url}/dicom-web` };
  };

  it('imports each series once, nothing on a second run, only a new series on a third; no patient name in any line', async () => {
    const study = newStudy();
    const lines: string[] = [];
    const fractions: (number | null)[] = [];
    const options = { author: 'dr-a', say: (l: string) => lines.push(l), progress: (f: number | null, m: string) => (fractions.push(f), lines.push(m)) };
    try {
      const first = await importFromDicomweb(study, { url: orthanc.root }, options);
      expect(first.imported.map((i) => i.series).sort()).toEqual(['19 t1_MPRAGEcr_noGRAPPA', '2 t1_mpr_tra_gk_v4']);
      expect(first.skipped).toEqual([]);
      expect(study.listImages()).toHaveLength(2);
      const mprage = first.imported.find((i) => i.series.startsWith('19 '))!;
      expect(getImageSource(study, mprage.imageId)?.provenance).toMatchObject({
        seriesInstanceUid: byDescription('t1_MPRAGEcr_noGRAPPA').seriesInstanceUid,
        modality: 'MR',
        patientId: 'Rorden Lab',
      });
      // Progress runs over all 179 instances of the run, never backwards, and ends at 1.
      const known = fractions.filter((f): f is number => f !== null);
      expect(known.length).toBeGreaterThanOrEqual(179);
      expect(known.every((f, i) => i === 0 || f >= known[i - 1]!)).toBe(true);
      expect(known.at(-1)).toBe(1);

      const second = await importFromDicomweb(study, { url: orthanc.root }, options);
      expect(second.imported).toEqual([]);
      expect(second.skipped.map((s) => `${s.series}: ${s.reason}`).sort()).toEqual([
        '19 t1_MPRAGEcr_noGRAPPA: already in the study',
        '2 t1_mpr_tra_gk_v4: already in the study',
      ]);

      await orthanc.uploadFiles(dicomFiles(ENHANCED));
      const third = await importFromDicomweb(study, { url: orthanc.root }, options);
      expect(third.imported).toHaveLength(1);
      expect(third.imported[0]!.series).not.toMatch(/t1_MPRAGE|t1_mpr_tra/);
      expect(third.skipped).toHaveLength(2);
      expect(study.listImages()).toHaveLength(3);

      // PHI: the names the PACS gives (read from its QIDO answer) appear in no line; PatientID may.
      const names = (await searchSeries({ url: orthanc.root })).map((r) => r.patientName).filter((n): n is string => n !== null);
      expect(names).toContain('Upgrade Test^Rorden');
      const text = [...lines, ...[first, second, third].flatMap((r) => [...r.warnings, ...r.skipped.map((s) => s.reason)])].join('\n');
      for (const name of names) expect(text).not.toContain(name);
      expect(text).not.toContain('Upgrade Test');
      expect(text).not.toContain('19701112'); // birth date
      expect(text).toMatch(/patient Rorden Lab/);
    } finally {
      study.close();
    }
  });

  it('completes across a 503 on the search and a connection dropped in the middle of the first series', async () => {
    let dropped = false;
    const p = await proxy((req, i) => {
      if (i === 0) return { kind: 'status', status: 503 };
      if (!dropped && /\/series\/[0-9.]+$/.test(req.url!)) {
        dropped = true;
        return { kind: 'drop', afterBytes: 10_000_000 }; // about 50 of the 176 MPRAGE instances
      }
      return { kind: 'pass' };
    });
    const study = newStudy();
    try {
      const report = await importFromDicomweb(study, { url: p.root, ...fast }, { author: 'a', series: [byDescription('t1_MPRAGEcr_noGRAPPA').seriesInstanceUid] });
      expect(dropped).toBe(true);
      expect(report.imported.map((i) => i.series)).toEqual(['19 t1_MPRAGEcr_noGRAPPA']);
      // Only the missing ones, one by one, none twice (how many arrived before the drop depends on the socket).
      const instanceGets = p.requests.filter((r) => /\/instances\/[0-9.]+$/.test(r));
      expect(instanceGets.length).toBeGreaterThan(0);
      expect(instanceGets.length).toBeLessThan(176);
      expect(new Set(instanceGets).size).toBe(instanceGets.length);
      const volume = study.getImage(report.imported[0]!.imageId);
      expect(volume).toBeDefined();
    } finally {
      study.close();
    }
  });

  it('gives REMOTE_UNREACHABLE when every retrieval drops, with nothing half-imported', async () => {
    const tcia = byDescription('t1_mpr_tra_gk_v4');
    const p = await proxy((req) => (/\/series\/[0-9.]+(\/instances\/[0-9.]+)?$/.test(req.url!) ? { kind: 'drop', afterBytes: 100_000 } : { kind: 'pass' }));
    const study = newStudy();
    try {
      await expect(importFromDicomweb(study, { url: p.root, ...fast }, { author: 'a', series: [tcia.seriesInstanceUid] })).rejects.toMatchObject({
        code: 'REMOTE_UNREACHABLE',
        message: expect.stringContaining(p.root),
      });
      expect(study.listImages()).toEqual([]);
      expect(readdirSync(study.dir).filter((f) => f.startsWith('.dicom-import-'))).toEqual([]);
      // The same study imports it fine once the network behaves.
      const report = await importFromDicomweb(study, { url: orthanc.root }, { author: 'a', series: [tcia.seriesInstanceUid] });
      expect(report.imported).toHaveLength(1);
    } finally {
      study.close();
    }
  });

  it('is refused without the right authorization, never repeating a secret, and works with it', async () => {
    const p = await proxy((req) => (req.headers.authorization === 'Bearer s3cret' ? { kind: 'pass' } : { kind: 'status', status: 401, body: `bad ${String(req.headers.authorization)}` }));
    const study = newStudy();
    const options = { author: 'a', series: [byDescription('t1_mpr_tra_gk_v4').seriesInstanceUid] };
    try {
      for (const authorization of [undefined, 'Bearer wr0ng-one']) {
        const conn = authorization === undefined ? { url: p.root } : { url: p.root, authorization };
        const e = await importFromDicomweb(study, conn, options).then(() => null, (x: unknown) => x as Error & { code: string; details?: unknown });
        expect(e).toMatchObject({ code: 'REMOTE_REFUSED', message: `the PACS at ${p.root} refused access (HTTP 401): check the authorization header` });
        expect(JSON.stringify({ m: e!.message, d: e!.details })).not.toMatch(/wr0ng|s3cret/);
      }
      const lines: string[] = [];
      const report = await importFromDicomweb(study, { url: p.root, authorization: 'Bearer s3cret' }, { ...options, say: (l) => lines.push(l) });
      expect(report.imported).toHaveLength(1);
      expect(lines.join('\n')).not.toContain('s3cret');
    } finally {
      study.close();
    }
  });

  it('skips a series without image data and a non-image series (SR), with the reasons, and imports the others', async () => {
    const uids = { study: '1.2.826.0.1.3680043.2.1125.77.1', series: '1.2.826.0.1.3680043.2.1125.77.2', sop: '1.2.826.0.1.3680043.2.1125.77.3' };
    const sr = { study: uids.study, series: '1.2.826.0.1.3680043.2.1125.77.4', sop: '1.2.826.0.1.3680043.2.1125.77.5' };
    await orthanc.uploadBytes([
      tinyDicom(uids, { seriesDescription: 'report text', seriesNumber: 99, modality: 'OT' }),
      tinyDicom(sr, { seriesDescription: 'structured report', seriesNumber: 98 }),
    ]);
    const study = newStudy();
    try {
      const report = await importFromDicomweb(study, { url: orthanc.root }, { author: 'a', series: [uids.series, sr.series, byDescription('t1_mpr_tra_gk_v4').seriesInstanceUid, '1.2.3.999'] });
      expect(report.imported.map((i) => i.series)).toEqual(['2 t1_mpr_tra_gk_v4']);
      expect(report.skipped).toEqual([
        { series: '98 structured report', reason: 'not an image series (modality SR)' },
        { series: '1.2.3.999', reason: expect.stringMatching(/not found on the PACS/) },
        { series: '99 report text', reason: expect.stringMatching(/no image series/) },
      ]);
    } finally {
      study.close();
    }
  });

  it('refuses bad options before any request', async () => {
    const study = newStudy();
    try {
      await expect(importFromDicomweb(study, { url: orthanc.root }, { author: 'a', since: '2024-01-01' })).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
      await expect(importFromDicomweb(study, { url: orthanc.root }, { author: 'a', filter: { 'modality;x': 'MR' } })).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
      await expect(importFromDicomweb(study, { url: 'file:///etc' }, { author: 'a' })).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
    } finally {
      study.close();
    }
  });
});
