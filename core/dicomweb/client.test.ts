// The DICOMweb client against a real PACS (Orthanc 1.10 + DICOMweb plugin 1.7, started here): QIDO search and
// matching, WADO retrieval byte for byte and converted to the same volume as the files, resume after a
// dropped connection, the Accept fallback, STOW storage and its refusals.

import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertDicomBuffers, convertDicomFiles } from '../dicom/index.js';
import { searchInstances, searchSeries, type RemoteSeries } from './qido.js';
import { sopInstanceUidOf } from './sopInstanceUid.js';
import { storeInstances } from './stow.js';
import { FIELD_MAP, MPRAGE, TCIA_3, dicomFiles } from './testing/data.js';
import { startOrthanc, type OrthancServer } from './testing/orthanc.js';
import { startProxy, type ProxyRule, type TestProxy } from './testing/proxy.js';
import { retrieveSeries } from './wado.js';

const fast = { retryDelaysMs: [1, 1, 1] };

describe('DICOMweb client against Orthanc', () => {
  let orthanc: OrthancServer;
  const proxies: TestProxy[] = [];
  /** SeriesInstanceUID of each folder, as dcm2niix reads it from the files. */
  const uid = new Map<string, string>();
  /** The bytes of each file of TCIA_3 by SOPInstanceUID. */
  const tciaBytes = new Map<string, Uint8Array>();

  beforeAll(async () => {
    orthanc = await startOrthanc();
    await orthanc.uploadFiles([...dicomFiles(MPRAGE), ...dicomFiles(TCIA_3)]);
    for (const folder of [TCIA_3]) {
      const { series } = await convertDicomFiles(dicomFiles(folder));
      uid.set(folder, series[0]!.provenance.seriesInstanceUid!);
    }
    for (const file of dicomFiles(TCIA_3)) {
      const bytes = new Uint8Array(await readFile(file));
      tciaBytes.set(sopInstanceUidOf(bytes)!, bytes);
    }
  });
  afterAll(async () => {
    await Promise.all(proxies.map((p) => p.close()));
    await orthanc?.stop();
  });

  const proxy = async (rule: ProxyRule) => {
    const p = await startProxy(orthanc.rest, rule);
    proxies.push(p);
    return { ...p, root: `${p.url}/dicom-web` };
  };
  const series = async (description: string): Promise<RemoteSeries> => {
    const row = (await searchSeries({ url: orthanc.root })).find((r) => r.seriesDescription === description);
    expect(row, description).toBeDefined();
    return row!;
  };

  it('lists every series with its UIDs, modality, number, description and instance count', async () => {
    const rows = await searchSeries({ url: orthanc.root });
    const byDescription = Object.fromEntries(rows.map((r) => [r.seriesDescription, r]));
    expect(rows).toHaveLength(2);
    expect(byDescription.t1_MPRAGEcr_noGRAPPA).toMatchObject({ modality: 'MR', seriesNumber: 19, instances: 176, patientId: 'Rorden Lab', studyDate: '20100723' });
    expect(byDescription.t1_MPRAGEcr_noGRAPPA!.seriesInstanceUid).toMatch(/^1\.3\.12\.2\.1107\.5\.2\.32\.35389\./);
    expect(byDescription.t1_mpr_tra_gk_v4).toMatchObject({ modality: 'MR', seriesNumber: 2, instances: 3, seriesInstanceUid: uid.get(TCIA_3), studyDate: '19940904' });
    expect(byDescription.t1_mpr_tra_gk_v4!.studyInstanceUid).toMatch(/^1\.3\.6\.1\.4\.1\.14519\./);
  });

  it.each([
    [{ filter: { Modality: 'MR' } }, ['t1_MPRAGEcr_noGRAPPA', 't1_mpr_tra_gk_v4']],
    [{ filter: { Modality: 'CT' } }, []],
    [{ filter: { SeriesDescription: 't1_MPRAGE*' } }, ['t1_MPRAGEcr_noGRAPPA']],
    [{ since: '20100101' }, ['t1_MPRAGEcr_noGRAPPA']],
    [{ since: '20990101' }, []],
    [{ filter: { Modality: 'MR' }, since: '19900101', pageSize: 1 }, ['t1_MPRAGEcr_noGRAPPA', 't1_mpr_tra_gk_v4']],
  ])('searches with %j', async (options, descriptions) => {
    const rows = await searchSeries({ url: orthanc.root }, options);
    expect(rows.map((r) => r.seriesDescription).sort()).toEqual(descriptions);
  });

  it('lists the SOPInstanceUIDs of a series', async () => {
    const row = await series('t1_mpr_tra_gk_v4');
    expect((await searchInstances({ url: orthanc.root }, row.studyInstanceUid, row.seriesInstanceUid)).sort()).toEqual([...tciaBytes.keys()].sort());
  });

  it('retrieves all 176 MPRAGE instances, which convert to the same volume as the files themselves', async () => {
    const row = await series('t1_MPRAGEcr_noGRAPPA');
    const ticks: [number, number | null][] = [];
    const instances = await retrieveSeries({ url: orthanc.root }, row.studyInstanceUid, row.seriesInstanceUid, {
      expected: row.instances,
      onInstance: (done, total) => ticks.push([done, total]),
    });
    expect(instances).toHaveLength(176);
    expect(new Set(instances.map((i) => i.sopInstanceUid)).size).toBe(176);
    expect(ticks.at(-1)).toEqual([176, 176]);
    const fromWeb = await convertDicomBuffers(instances);
    const fromFiles = await convertDicomFiles(dicomFiles(MPRAGE));
    expect(fromWeb.series.map((s) => s.name)).toEqual(['19_t1_MPRAGEcr_noGRAPPA']);
    expect(fromWeb.series[0]!.provenance).toEqual(fromFiles.series[0]!.provenance);
    expect(Buffer.compare(fromWeb.series[0]!.nifti, fromFiles.series[0]!.nifti)).toBe(0);
  });

  it.each([
    ['the socket is destroyed', false],
    ['the body ends early as if complete', true],
  ])('resumes after the connection drops mid-series (%s), fetching only the missing instances', async (_, end) => {
    const row = await series('t1_mpr_tra_gk_v4');
    let dropped = false;
    const p = await proxy((req) => {
      if (!dropped && /\/series\/[0-9.]+$/.test(req.url!)) {
        dropped = true;
        return { kind: 'drop', afterBytes: 700_000, end }; // one 528 kB instance and a part of the next
      }
      return { kind: 'pass' };
    });
    const instances = await retrieveSeries({ url: p.root, ...fast }, row.studyInstanceUid, row.seriesInstanceUid);
    expect(instances).toHaveLength(3);
    for (const i of instances) expect(Buffer.compare(i.bytes, tciaBytes.get(i.sopInstanceUid!)!), i.name).toBe(0);
    const instanceGets = p.requests.filter((r) => /^GET .*\/instances\/[0-9.]+$/.test(r));
    expect(instanceGets).toHaveLength(2);
    expect(p.requests.some((r) => /\/instances\?/.test(r))).toBe(true); // the QIDO instance list
  });

  it('retries a series request answered 503 before anything arrived', async () => {
    const row = await series('t1_mpr_tra_gk_v4');
    const p = await proxy((_req, i) => (i === 0 ? { kind: 'status', status: 503 } : { kind: 'pass' }));
    const instances = await retrieveSeries({ url: p.root, ...fast }, row.studyInstanceUid, row.seriesInstanceUid);
    expect(instances).toHaveLength(3);
    expect(p.requests).toHaveLength(2);
  });

  it('falls back to the plain Accept form when a server refuses transfer-syntax=*', async () => {
    const row = await series('t1_mpr_tra_gk_v4');
    const accepts: string[] = [];
    const p = await proxy((req) => {
      accepts.push(String(req.headers.accept));
      return /transfer-syntax/.test(String(req.headers.accept)) ? { kind: 'status', status: 406 } : { kind: 'pass' };
    });
    expect(await retrieveSeries({ url: p.root, ...fast }, row.studyInstanceUid, row.seriesInstanceUid)).toHaveLength(3);
    expect(accepts).toEqual(['multipart/related; type="application/dicom"; transfer-syntax=*', 'multipart/related; type="application/dicom"']);
  });

  it('gives REMOTE_UNREACHABLE when every answer drops, and REMOTE_ERROR for a series the server lacks', async () => {
    const row = await series('t1_mpr_tra_gk_v4');
    // The series answer drops after one instance, every single-instance answer within its first 100 kB.
    const p = await proxy((req) =>
      /\/series\/[0-9.]+$/.test(req.url!)
        ? { kind: 'drop', afterBytes: 700_000 }
        : /\/instances\/[0-9.]+$/.test(req.url!)
          ? { kind: 'drop', afterBytes: 100_000 }
          : { kind: 'pass' },
    );
    await expect(retrieveSeries({ url: p.root, ...fast }, row.studyInstanceUid, row.seriesInstanceUid)).rejects.toMatchObject({
      code: 'REMOTE_UNREACHABLE',
      message: expect.stringMatching(/did not answer instance [0-9.]+ after 4 tries/),
    });
    expect(p.requests.filter((r) => /\/instances\/[0-9.]+$/.test(r))).toHaveLength(4); // one instance, 4 tries, then stop
    await expect(retrieveSeries({ url: orthanc.root }, row.studyInstanceUid, '1.2.3.4')).rejects.toMatchObject({ code: 'REMOTE_ERROR', details: { status: 404 } });
  });

  it('gives CANCELLED when aborted during a retrieval', async () => {
    const row = await series('t1_MPRAGEcr_noGRAPPA');
    const controller = new AbortController();
    const promise = retrieveSeries({ url: orthanc.root }, row.studyInstanceUid, row.seriesInstanceUid, {
      signal: controller.signal,
      onInstance: (done) => done === 10 && controller.abort(),
    });
    await expect(promise).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('stores a series by STOW-RS, and names how many failed when some cannot be stored', async () => {
    const files = await Promise.all(dicomFiles(FIELD_MAP).map(async (f) => new Uint8Array(await readFile(f))));
    const before = await orthanc.countInstances();
    const result = await storeInstances({ url: orthanc.root }, files);
    expect(result).toMatchObject({ stored: 36, failed: 0 });
    expect(await orthanc.countInstances()).toBe(before + 36);
    expect((await searchSeries({ url: orthanc.root }, { filter: { SeriesDescription: 'gre_field_mapping' } })).map((r) => r.instances)).toEqual([36]);

    const bad = storeInstances({ url: orthanc.root }, [files[0]!, new TextEncoder().encode('not a DICOM file')]);
    await expect(bad).rejects.toMatchObject({ code: 'REMOTE_ERROR', message: expect.stringMatching(/stored 1 of 2 instance\(s\); 1 failed/), details: { stored: 1, failed: 1 } });
    await expect(storeInstances({ url: orthanc.root }, [])).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
  });
});
