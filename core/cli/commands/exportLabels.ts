// `voxlab export --study DIR --out FILE`: labels as a MONAI datalist JSON or a CSV; a segmentation as DICOM SEG
// and per-image JSON reports (exportDicom.ts).

import { VoxlabError } from '../../common/errors.js';
import { exportLabelsCsv, openStudy, writeDatalist } from '../../datastore/index.js';
import { requiredOption, stringOption, type Command } from '../command.js';
import { DICOM_EXPORT_OPTIONS, exportReports, exportSeg } from './exportDicom.js';

export const exportCommand: Command = {
  name: 'export',
  usage: '--study DIR --out FILE [--format datalist|csv|reports] [--paths relative|absolute] [--with-phi] | --format seg --image ID [--version N] (--out FILE.dcm | --dicomweb URL)',
  summary: 'Export class labels (MONAI datalist JSON or CSV), per-image JSON reports, or a segmentation as DICOM SEG.',
  positionals: [0, 0],
  options: {
    study: { type: 'string', help: 'the study folder' },
    out: { type: 'string', help: 'the file to write' },
    format: { type: 'string', help: "'datalist' (MONAI JSON), 'csv', 'reports' (a folder of JSON, one per image) or 'seg' (DICOM SEG)", default: 'datalist' },
    paths: { type: 'string', help: "image paths 'relative' to the output file's folder, or 'absolute'", default: 'relative' },
    'with-phi': { type: 'boolean', help: 'also write PatientID and the study/series UIDs of DICOM images (default: only a pseudonymous subject id)' },
    ...DICOM_EXPORT_OPTIONS,
  },
  async run(args) {
    const format = stringOption(args, 'format') ?? 'datalist';
    const paths = stringOption(args, 'paths') ?? 'relative';
    if (!['datalist', 'csv', 'reports', 'seg'].includes(format))
      throw new VoxlabError('BAD_ARGUMENT', `--format must be 'datalist', 'csv', 'reports' or 'seg', got '${format}'`);
    const say = (line: string) => process.stderr.write(`${line}\n`);
    if (format === 'seg') {
      const study = openStudy(requiredOption(args, 'study'));
      try {
        await exportSeg(study, args, say);
        return 0;
      } finally {
        study.close();
      }
    }
    if (paths !== 'relative' && paths !== 'absolute') throw new VoxlabError('BAD_ARGUMENT', `--paths must be 'relative' or 'absolute', got '${paths}'`);
    const out = requiredOption(args, 'out');
    const withPhi = args.values['with-phi'] === true;
    const study = openStudy(requiredOption(args, 'study'));
    try {
      if (format === 'reports') {
        say(`wrote ${await exportReports(study, out)} report(s) into ${out}`);
      } else if (format === 'csv') {
        const rows = await exportLabelsCsv(study, out, { paths, withPhi });
        process.stderr.write(`wrote ${out} (${rows} row(s))\n`);
      } else {
        const list = await writeDatalist(study, out, { paths, withPhi });
        process.stderr.write(`wrote ${out} (${list.training.length} training, ${list.validation?.length ?? 0} validation)\n`);
      }
      return 0;
    } finally {
      study.close();
    }
  },
};
