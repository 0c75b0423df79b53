// DICOM in and out through the API, as the app uses it (issue #11): an uploaded folder becomes a study image
// by a job; a PACS (a real Orthanc with DICOMweb) is searched and its new series imported, incrementally; the
// series report names the UIDs and not the patient. Refusals are coded and in words.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, httpTransport, type CoreApi, type DicomImportReport } from '../../api/index.js';
import { mapLimited } from '../../common/mapLimited.js';
import { getImageSource } from '../../datastore/index.js';
import { readSeg } from '../../dicom/seg/readSeg.js';
import { segToLabelmap } from '../../dicom/seg/segToLabelmap.js';
import { retrieveSeries, searchSeries } from '../../dicomweb/index.js';
import { readNiftiHeader } from '../../io/readNifti.js';
import { MPRAGE, TCIA_3, dicomFiles } from '../../dicomweb/testing/data.js';
import { startOrthanc, type OrthancServer } from '../../dicomweb/testing/orthanc.js';
import { TOKEN, failure, testServer } from '../testing/fixtures.js';
import { UPLOADS_DIR } from './dicomUploads.js';

type Server = Awaited<ReturnType<typeof testServer>>;
let server: Server;
let api: CoreApi;

beforeAll(async () => {
  server = await testServer();
  api = createClient(httpTransport({ baseUrl: server.server.url, token: TOKEN }));
});
afterAll(async () => {
  await server.close();
});

/** Uploads `files` into a new upload, 4 at a time, like the app. */
async function upload(uploadId: string, files: readonly string[]): Promise<void> {
  await mapLimited(files, 4, (f) => api.dicom.stage({ uploadId, name: path.basename(f) }, readFileSync(f)));
}

describe('an uploaded DICOM folder', () => {
  it('is converted and imported by a job, with its series named, and the upload removed', async () => {
    const files = dicomFiles(MPRAGE);
    await upload('up-mprage', files);
    const job = await api.dicom.importStaged({ uploadId: 'up-mprage', author: 'dr-a' });
    expect(job.kind).toBe('import');
    const done = await api.waitForJob(job.id);
    expect(done.state).toBe('done');
    const report = done.result as unknown as DicomImportReport;
    expect(report.imported).toEqual([{ imageId: '19_t1_MPRAGEcr_noGRAPPA', series: '19_t1_MPRAGEcr_noGRAPPA' }]);
    const image = await api.datastore.image({ imageId: '19_t1_MPRAGEcr_noGRAPPA' });
    expect(image.source).toMatchObject({ kind: 'dicom', seriesNumber: 19, modality: 'MR' });
    expect(() => readFileSync(path.join(server.dir, UPLOADS_DIR, 'up-mprage'))).toThrow();
  }, 120_000);

  it('counts parallel uploads of same-named files as separate files', async () => {
    const bytes = new Uint8Array(500).fill(3);
    const answers = await Promise.all([0, 1, 2, 3].map(() => api.dicom.stage({ uploadId: 'up-same', name: 'IM0001' }, bytes)));
    expect(Math.max(...answers.map((a) => a.files))).toBe(4);
    expect(Math.max(...answers.map((a) => a.bytes))).toBe(2000);
  });

  it('without DICOM files fails in words; an unknown upload is NOT_FOUND', async () => {
    await api.dicom.stage({ uploadId: 'up-text', name: 'notes.txt' }, new TextEncoder().encode('not an image at all'.repeat(20)));
    const done = await api.waitForJob((await api.dicom.importStaged({ uploadId: 'up-text', author: 'dr-a' })).id);
    expect(done.state).toBe('failed');
    expect(done.error).toMatchObject({ code: 'NOT_A_VOLUME', message: expect.stringContaining('None of the uploaded files is a DICOM file') });
    expect((await failure(api.dicom.importStaged({ uploadId: 'up-gone', author: 'dr-a' }))).code).toBe('NOT_FOUND');
  }, 60_000);

  it('exports a saved segmentation as a DICOM SEG file; refuses a NIfTI image or a scan without one', async () => {
    const imageId = '19_t1_MPRAGEcr_noGRAPPA';
    expect((await failure(api.seg.export({ imageId }))).code).toBe('NOT_FOUND');
    const [nx, ny, nz] = (await api.datastore.image({ imageId })).shape as [number, number, number];
    const painted = new Uint8Array(nx * ny * nz);
    for (let z = 100; z < 120; z++) for (let y = 100; y < 130; y++) for (let x = 80; x < 90; x++) painted[x + nx * (y + ny * z)] = 1;
    await api.labelmaps.save({ imageId, author: 'dr-a' }, painted);
    const { meta, data } = await api.seg.export({ imageId });
    expect(meta).toMatchObject({ imageId, labelmapVersion: 1, fileName: `${imageId}_seg-v1.dcm`, segments: 1 });
    const bytes = new Uint8Array(data);
    expect(new TextDecoder().decode(bytes.subarray(128, 132))).toBe('DICM');
    expect(readSeg(bytes).referencedSeriesInstanceUid).toBe(meta.referencedSeriesInstanceUid);
    const refused = await failure(api.seg.export({ imageId: 'img-a' }));
    expect(refused.code).toBe('BAD_ARGUMENT');
    expect(refused.message).toMatch(/not imported from DICOM/);
  }, 60_000);

  it('has a series report naming the UIDs and a pseudonymous subject, not the patient', async () => {
    await api.labels.set({ imageId: '19_t1_MPRAGEcr_noGRAPPA', label: 'F', author: 'dr-a' });
    const report = (await api.report.series({ imageId: '19_t1_MPRAGEcr_noGRAPPA' })) as Record<string, unknown>;
    expect(report).toMatchObject({
      kind: 'voxlab.series-report',
      series: { seriesNumber: 19, modality: 'MR', seriesInstanceUid: expect.stringMatching(/^1\.3\.12\.2\.1107\./) },
      subject: expect.stringMatching(/^sub-[0-9a-f]{10}$/),
      classLabel: { label: 'F', author: 'dr-a' },
    });
    expect(JSON.stringify(report)).not.toContain('Rorden');
    // A NIfTI image has a report too, without a series.
    expect(await api.report.series({ imageId: 'img-a' })).toMatchObject({ series: null, subject: null });
  });
});

describe('a PACS over DICOMweb', () => {
  let orthanc: OrthancServer;
  beforeAll(async () => {
    orthanc = await startOrthanc();
    await orthanc.uploadFiles(dicomFiles(TCIA_3));
  }, 60_000);
  afterAll(async () => {
    await orthanc?.stop();
  });

  it('is searched, imported from by a job, and searched again with the series marked imported', async () => {
    const before = await api.pacs.search({ url: orthanc.root, filter: { Modality: 'MR' } });
    expect(before).toHaveLength(1);
    expect(before[0]).toMatchObject({ seriesNumber: 2, modality: 'MR', instances: 3, imported: false });
    const done = await api.waitForJob((await api.pacs.import({ url: orthanc.root, author: 'dr-b' })).id);
    expect(done.state).toBe('done');
    const report = done.result as unknown as DicomImportReport;
    expect(report.imported).toHaveLength(1);
    expect((await api.pacs.search({ url: orthanc.root }))[0]!.imported).toBe(true);
    // Incremental: nothing new the second time.
    const again = (await api.waitForJob((await api.pacs.import({ url: orthanc.root, author: 'dr-b' })).id)).result as unknown as DicomImportReport;
    expect(again.imported).toEqual([]);
    expect(again.skipped[0]!.reason).toMatch(/already in the study/);
  }, 120_000);

  it('round trip: a series imported from the PACS is painted, sent back as DICOM SEG and read back from the PACS', async () => {
    const imageId = (await api.datastore.list({})).find((i) => i.source?.seriesNumber === 2)!.id;
    const image = await api.datastore.image({ imageId });
    const [nx, ny, nz] = image.shape as [number, number, number];
    const painted = new Uint8Array(nx * ny * nz);
    for (let z = 0; z < nz; z++)
      for (let y = 200; y < 260; y++) for (let x = 180 + z * 10; x < 240; x++) painted[x + nx * (y + ny * z)] = z === 1 ? 2 : 1;
    await api.segments.set({ value: 1, name: 'schwannoma', colour: '#ff0000', author: 'dr-b' });
    await api.segments.set({ value: 2, name: 'cochlea', colour: '#00ff00', author: 'dr-b' });
    await api.labelmaps.save({ imageId, author: 'dr-b' }, painted);

    const sent = await api.waitForJob((await api.seg.send({ imageId, url: orthanc.root })).id);
    expect(sent.state).toBe('done');
    const meta = sent.result as unknown as { seriesInstanceUid: string; referencedSeriesInstanceUid: string; segments: number };
    expect(meta.segments).toBe(2);
    const source = await api.datastore.image({ imageId });
    expect(meta.referencedSeriesInstanceUid).toBe(source.source!.seriesInstanceUid);

    // Read back from the PACS: the SEG series sits in the source's study, and decodes to what was painted.
    const rows = await searchSeries({ url: orthanc.root }, { filter: { Modality: 'SEG' } });
    const row = rows.find((r) => r.seriesInstanceUid === meta.seriesInstanceUid)!;
    expect(row.studyInstanceUid).toBe(getImageSource(server.service.context.study, imageId)!.provenance.studyInstanceUid);
    const [seg] = await retrieveSeries({ url: orthanc.root }, row.studyInstanceUid, row.seriesInstanceUid);
    const info = readSeg(seg!.bytes);
    expect(info.segments.map((x) => x.label)).toEqual(['schwannoma', 'cochlea']);
    expect(info.referencedSeriesInstanceUid).toBe(meta.referencedSeriesInstanceUid);
    const { affine } = await readNiftiHeader(server.service.context.study.getImage(imageId).path);
    expect(Buffer.from(segToLabelmap(seg!.bytes, [nx, ny, nz], affine)).equals(Buffer.from(painted))).toBe(true);
    // The SEG now sits in the source study on the PACS: a later import skips it, never makes it a "scan".
    const later = (await api.waitForJob((await api.pacs.import({ url: orthanc.root, author: 'dr-b' })).id)).result as unknown as DicomImportReport;
    expect(later.imported).toEqual([]);
    expect(later.skipped.map((x) => x.reason)).toContainEqual(expect.stringMatching(/^not an image series \(modality SEG: a segmentation\)/));
  }, 120_000);

  it('refuses a bad URL or filter in words', async () => {
    expect((await failure(api.pacs.search({ url: 'ftp://pacs/dicom-web' }))).code).toBe('BAD_ARGUMENT');
    expect((await failure(api.pacs.search({ url: orthanc.root, filter: { Modality: 3 } }))).code).toBe('BAD_ARGUMENT');
  });
});
