// `voxlab import DIR --labels CSV --study DIR`: add a folder of NIfTI scans and their class labels to a
// study (created when missing). Everything not imported is listed, never dropped silently.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { STUDY_DB_FILE, importFolder, openStudy, type ImportResult } from '../../datastore/index.js';
import { requiredOption, stringOption, type Command } from '../command.js';
import { ProgressBar } from '../progress.js';
import { VoxlabError } from '../../common/errors.js';
import { findDicomFiles } from '../../dicom/index.js';
import { importDicomFolder } from './importDicom.js';
import { DICOMWEB_OPTIONS, runDicomwebImport } from './importDicomweb.js';

/** A short report of an import for people; each problem on its own line. */
export function formatImport(result: ImportResult, studyDir: string): string {
  const counts = new Map<string, number>();
  for (const r of result.imported) counts.set(r.label ?? '(none)', (counts.get(r.label ?? '(none)') ?? 0) + 1);
  const lines = [
    `imported ${result.imported.length} image(s) into ${studyDir}`,
    `labels   ${[...counts].map(([label, n]) => `${label}: ${n}`).join(', ') || '(none)'}`,
  ];
  if (result.fileColumn) lines.push(`columns  file = '${result.fileColumn}', label = '${result.labelColumn ?? '(none)'}'`);
  for (const s of result.skipped) lines.push(`skipped  ${s.file}: ${s.reason} [${s.code}]`);
  for (const m of result.missingFiles) lines.push(`missing  CSV line ${m.line}: ${m.file || '(empty file cell)'} does not exist`);
  for (const d of result.duplicateRows) lines.push(`duplicate CSV line ${d.line}: ${d.file} (first on line ${d.firstLine}, which was used)`);
  for (const r of result.rowsNotImported) lines.push(`not imported CSV line ${r.line}: ${r.file}: ${r.reason}`);
  if (result.rowsWithoutLabel.length) lines.push(`unlabeled ${result.rowsWithoutLabel.length} CSV row(s) have an empty label`);
  if (result.otherFiles.length) lines.push(`ignored  ${result.otherFiles.length} non-NIfTI file(s) in the folder`);
  return lines.join('\n');
}

export const importCommand: Command = {
  name: 'import',
  usage:
    'DIR --study DIR [--labels CSV] [--copy] [--file-column C] [--label-column C] [--author NAME] [--json]\n' +
    '       voxlab import --dicomweb URL --study DIR [--filter K=V,...] [--since YYYYMMDD] [--series UID,...] [--json]',
  summary:
    'Add a folder of NIfTI scans (and a labels CSV), or of DICOM series (converted with dcm2niix, provenance kept), or the new series of a PACS (DICOMweb), to a study, creating it if needed.',
  positionals: [0, 1],
  options: {
    study: { type: 'string', help: 'the study folder (created when it does not exist)' },
    labels: { type: 'string', help: 'CSV with a file column and a label column, one row per scan' },
    copy: { type: 'boolean', help: 'copy the scans into the study (default: reference them where they are)' },
    'file-column': { type: 'string', help: "CSV column naming the file (default: file, image, path or filename)" },
    'label-column': { type: 'string', help: 'CSV column holding the class (default: label, class or sex)' },
    author: { type: 'string', help: 'who the labels are recorded as coming from', default: 'import' },
    json: { type: 'boolean', help: 'print the full import report as JSON on stdout' },
    ...DICOMWEB_OPTIONS,
  },
  async run(args) {
    const fromPacs = await runDicomwebImport(args);
    if (fromPacs !== undefined) return fromPacs;
    const dir = args.positionals[0];
    if (dir === undefined) throw new VoxlabError('BAD_ARGUMENT', 'give a folder to import, or --dicomweb URL');
    const studyDir = requiredOption(args, 'study');
    const create = !existsSync(join(studyDir, STUDY_DB_FILE));
    const study = openStudy(studyDir, { create: create ? { name: 'imported study' } : false });
    try {
      const labelsCsv = stringOption(args, 'labels');
      const author = stringOption(args, 'author') ?? 'import';
      if (labelsCsv === undefined) {
        const fromDicom = await importDicomFolder(study, dir, { author, say: (line) => process.stderr.write(`${line}\n`) });
        if (fromDicom !== null) {
          if (args.values.json === true) process.stdout.write(`${JSON.stringify(fromDicom)}\n`);
          else process.stdout.write(`${formatImport(fromDicom, studyDir)}\n`);
          return 0;
        }
      } else if ((await findDicomFiles(dir)).files.length > 0) {
        throw new VoxlabError(
          'BAD_ARGUMENT',
          `${dir} holds DICOM series: import them without --labels and label them in the app, or convert them (voxlab convert) and import the NIfTI files with the CSV`,
        );
      }
      const bar = new ProgressBar({ label: 'importing' });
      const fileColumn = stringOption(args, 'file-column');
      const labelColumn = stringOption(args, 'label-column');
      const result = await importFolder(study, dir, {
        ...(labelsCsv !== undefined ? { labelsCsv } : {}),
        ...(fileColumn !== undefined ? { fileColumn } : {}),
        ...(labelColumn !== undefined ? { labelColumn } : {}),
        copy: args.values.copy === true,
        author,
        onProgress: (p) => bar.update(p.done, p.total),
      });
      bar.finish();
      if (args.values.json === true) process.stdout.write(`${JSON.stringify(result)}\n`);
      else process.stdout.write(`${formatImport(result, studyDir)}\n`);
      return 0;
    } finally {
      study.close();
    }
  },
};

