// Handlers of DICOM in and out (issue #11): uploaded folders converted and imported as jobs, a PACS over
// DICOMweb searched and imported from, labelmaps exported as DICOM SEG (file or STOW-RS), series reports.

import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { DicomImportReport, Json, PacsSeries } from '../../api/index.js';
import { VoxlabError } from '../../common/errors.js';
import { seriesImported, seriesReport } from '../../datastore/index.js';
import { convertDicom, findDicomFiles } from '../../dicom/index.js';
import { importConvertedSeries, type SeriesImportResult } from '../../dicom/importSeries.js';
import { segOf } from '../../dicom/studySeg.js';
import { checkConnection, importFromDicomweb, searchSeries, storeInstances, type DicomwebConnection } from '../../dicomweb/index.js';
import type { Handlers, ServiceContext } from './context.js';
import { refuseBlinded } from './blinded.js';
import { stageFile, uploadDir } from './dicomUploads.js';


type DicomHandlers = Pick<
  Handlers,
  'dicom.stage' | 'dicom.importStaged' | 'pacs.search' | 'pacs.import' | 'seg.export' | 'seg.send' | 'report.series'
>;

/** importConvertedSeries' result as the contract's report: image ids with their series names, skips in words. */
export function importReport(result: SeriesImportResult, warnings: readonly string[]): DicomImportReport {
  return {
    imported: result.imported.map((i) => ({ imageId: i.id, series: i.series })),
    skipped: result.skipped.map((s) => ({ series: s.series, reason: s.reason })),
    warnings,
  };
}

/** A PACS connection from a request (the authorization value stays in memory, in this request only). */
function connection(url: string, authorization: string | undefined): DicomwebConnection {
  const conn: DicomwebConnection = authorization === undefined || authorization === '' ? { url } : { url, authorization };
  checkConnection(conn);
  return conn;
}

/** A request's QIDO filter: a JSON object of DICOM keyword → text. */
function filterOf(filter: Json | undefined): Record<string, string> | undefined {
  if (filter === undefined || filter === null) return undefined;
  if (typeof filter !== 'object' || Array.isArray(filter) || !Object.values(filter).every((v) => typeof v === 'string'))
    throw new VoxlabError('BAD_ARGUMENT', 'The PACS filter must map DICOM keywords to text, e.g. {"Modality": "MR"}');
  return filter as Record<string, string>;
}

export function dicomHandlers(context: ServiceContext): DicomHandlers {
  const { study, jobs, events } = context;
  return {
    'dicom.stage': async ({ uploadId, name }, upload) => {
      if (upload === undefined) throw new VoxlabError('BAD_ARGUMENT', 'dicom.stage: send the file as the request body');
      return stageFile(study.dir, uploadId, name, upload);
    },
    'dicom.importStaged': async ({ uploadId, author }) => {
      const dir = uploadDir(study.dir, uploadId);
      if (!existsSync(dir)) throw new VoxlabError('NOT_FOUND', `There is no upload ${uploadId}: upload the DICOM files again`, { uploadId });
      return jobs.start('import', { uploadId }, async (ctx) => {
        try {
          ctx.progress(null, 'looking for DICOM files');
          const { files } = await findDicomFiles(dir);
          if (files.length === 0)
            throw new VoxlabError('NOT_A_VOLUME', 'None of the uploaded files is a DICOM file (no DICM marker): choose the folder of a DICOM series', { uploadId });
          ctx.progress(0.1, `converting ${files.length} DICOM files with dcm2niix`);
          const { series, log } = await convertDicom({ files }, { signal: ctx.signal });
          ctx.progress(0.7, `importing ${series.length} series`);
          const result = await importConvertedSeries(study, series, { author, origin: 'uploaded' });
          for (const i of result.imported) events.publish({ type: 'datastore.changed', imageId: i.id });
          const warnings = log.map((l) => l.trim()).filter((l) => /^warning/i.test(l));
          return { result: importReport(result, warnings) as unknown as Json };
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      });
    },
    'pacs.search': async ({ url, filter, since, authorization }) => {
      const rows = await searchSeries(connection(url, authorization), {
        ...(filterOf(filter) !== undefined ? { filter: filterOf(filter)! } : {}),
        ...(since !== undefined && since !== '' ? { since } : {}),
      });
      return rows.map((r): PacsSeries => ({ ...r, imported: seriesImported(study, r.seriesInstanceUid) }));
    },
    'pacs.import': async ({ url, filter, since, authorization, series, author }) => {
      const conn = connection(url, authorization);
      const match = filterOf(filter);
      return jobs.start('import', { pacs: conn.url }, async (ctx) => {
        const report = await importFromDicomweb(study, conn, {
          author,
          ...(match !== undefined ? { filter: match } : {}),
          ...(since !== undefined && since !== '' ? { since } : {}),
          ...(series !== undefined ? { series } : {}),
          progress: (fraction, message) => ctx.progress(fraction, message),
          signal: ctx.signal,
        });
        for (const i of report.imported) events.publish({ type: 'datastore.changed', imageId: i.imageId });
        return { result: report as unknown as Json };
      });
    },
    'seg.export': async ({ imageId, version }) => {
      const { meta, bytes } = await segOf(study, imageId, version, null);
      return { meta, bytes };
    },
    'seg.send': async ({ imageId, version, url, authorization }) => {
      const conn = connection(url, authorization);
      // Made before the job starts: a refusal (no DICOM source, no labelmap) is the call's answer.
      const { meta, bytes } = await segOf(study, imageId, version, null);
      return jobs.start('export', { imageId, pacs: conn.url }, async (ctx) => {
        ctx.progress(0.2, `sending the segmentation of ${imageId} to the PACS`);
        await storeInstances(conn, [bytes], { signal: ctx.signal });
        return { result: meta as unknown as Json };
      });
    },
    'report.series': async ({ imageId }, _bytes, caller) => {
      refuseBlinded(study, caller, "the series report (it lists the scan's labels)");
      return seriesReport(study, imageId);
    },
  };
}
