// `voxlab import --dicomweb URL --study S [--filter K=V,...] [--since YYYYMMDD] [--series UID,...]`: the series
// of a PACS imported over DICOMweb (core/dicomweb), only those not in the study yet; progress on stderr, a
// summary on stdout. Part of `voxlab import` (importStudy.ts), which hands over when --dicomweb is given.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DicomImportReport } from '../../api/index.js';
import { VoxlabError } from '../../common/errors.js';
import { STUDY_DB_FILE, openStudy } from '../../datastore/index.js';
import { checkConnection, importFromDicomweb, seriesQuery, type DicomwebConnection } from '../../dicomweb/index.js';
import { requiredOption, stringOption, type OptionSpec, type ParsedArgs } from '../command.js';
import { ProgressBar } from '../progress.js';

/** The environment variable holding the Authorization header value (kept out of `ps` and shell history). */
export const AUTH_ENV = 'VOXLAB_DICOMWEB_AUTH';

/** The options `voxlab import` gains for DICOMweb. */
export const DICOMWEB_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  dicomweb: { type: 'string', help: 'import from this DICOMweb server root (e.g. http://pacs:8042/dicom-web) instead of a folder' },
  filter: {
    type: 'string',
    help: 'with --dicomweb: series matching, Keyword=Value pairs joined by commas (e.g. Modality=MR,BodyPartExamined=HEAD); default every series',
  },
  since: { type: 'string', help: 'with --dicomweb: only studies from this date on (YYYYMMDD)' },
  series: { type: 'string', help: 'with --dicomweb: only these SeriesInstanceUIDs, joined by commas' },
  'auth-header': {
    type: 'string',
    help: `with --dicomweb: Authorization header value ("Bearer TOKEN"); better set ${AUTH_ENV}, which stays out of the process list and shell history`,
  },
};

/** Options of `voxlab import` that only apply to a folder. */
const FOLDER_ONLY = ['labels', 'copy', 'file-column', 'label-column'] as const;

/** `Modality=MR,SeriesDescription=t1, sag` → { Modality: 'MR', SeriesDescription: 't1, sag' }: a comma starts a pair only before `Keyword=`. */
export function parseFilter(text: string): Record<string, string> {
  const filter: Record<string, string> = {};
  for (const pair of text.split(/,(?=\s*[A-Za-z]+=)/)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new VoxlabError('BAD_ARGUMENT', `--filter: '${pair}' is not Keyword=Value (e.g. Modality=MR)`);
    const key = pair.slice(0, eq).trim();
    if (key in filter) throw new VoxlabError('BAD_ARGUMENT', `--filter: ${key} is given twice`);
    filter[key] = pair.slice(eq + 1).trim();
  }
  return filter;
}

/** A short report for people: one line per image made, series skipped (with why) and warning. */
export function formatDicomwebImport(report: DicomImportReport, url: string, studyDir: string): string {
  const lines = [`imported ${report.imported.length} image(s) from ${url} into ${studyDir}`];
  for (const i of report.imported) lines.push(`image    ${i.imageId} (series ${i.series})`);
  for (const s of report.skipped) lines.push(`skipped  series ${s.series}: ${s.reason}`);
  for (const w of report.warnings) lines.push(`warning  ${w}`);
  return lines.join('\n');
}

/**
 * Runs `voxlab import --dicomweb ...`; undefined when --dicomweb is not given (then DICOMweb-only options are
 * refused and the folder import goes on). Exit code 0 whenever something could be done; a run that could do
 * nothing because of an error throws it (REMOTE_UNREACHABLE, REMOTE_REFUSED, BAD_ARGUMENT, ...).
 */
export async function runDicomwebImport(args: ParsedArgs): Promise<number | undefined> {
  const url = stringOption(args, 'dicomweb');
  if (url === undefined) {
    for (const name of Object.keys(DICOMWEB_OPTIONS)) {
      if (args.values[name] !== undefined) throw new VoxlabError('BAD_ARGUMENT', `--${name} applies only with --dicomweb URL`);
    }
    return undefined;
  }
  if (args.positionals.length > 0) throw new VoxlabError('BAD_ARGUMENT', `give either a folder or --dicomweb URL, not both (got ${args.positionals[0]})`);
  for (const name of FOLDER_ONLY) {
    if (args.values[name] !== undefined) throw new VoxlabError('BAD_ARGUMENT', `--${name} applies to folders, not to --dicomweb`);
  }
  const studyDir = requiredOption(args, 'study');
  const authorization = stringOption(args, 'auth-header') ?? (process.env[AUTH_ENV] || undefined);
  const conn: DicomwebConnection = authorization === undefined ? { url } : { url, authorization };
  const filterText = stringOption(args, 'filter');
  const since = stringOption(args, 'since');
  const seriesText = stringOption(args, 'series');
  const series = seriesText?.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const options = {
    author: stringOption(args, 'author') ?? 'import',
    ...(filterText !== undefined ? { filter: parseFilter(filterText) } : {}),
    ...(since !== undefined ? { since } : {}),
    ...(series !== undefined ? { series } : {}),
  };

  // Refusals before the study folder is made.
  checkConnection(conn);
  seriesQuery(options);
  const create = !existsSync(join(studyDir, STUDY_DB_FILE));
  const study = openStudy(studyDir, { create: create ? { name: 'imported study' } : false });
  const bar = new ProgressBar({ label: 'importing' });
  // Ctrl-C or SIGTERM stops the transfer; series imported by then stay (each is one transaction).
  const controller = new AbortController();
  const onSignal = () => {
    process.stderr.write('\nstopping the DICOMweb import...\n');
    controller.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const report = await importFromDicomweb(study, conn, {
      ...options,
      signal: controller.signal,
      say: (line) => process.stderr.write(`${line}\n`),
      progress: (fraction, message) => {
        if (fraction !== null) bar.update(Math.round(fraction * 100), 100, message);
      },
    });
    bar.finish();
    if (args.values.json === true) process.stdout.write(`${JSON.stringify(report)}\n`);
    else process.stdout.write(`${formatDicomwebImport(report, url, studyDir)}\n`);
    return 0;
  } catch (e) {
    bar.finish();
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    study.close();
  }
}
