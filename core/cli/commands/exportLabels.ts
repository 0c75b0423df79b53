// `voxlab export --study DIR --out FILE`: labels as a MONAI datalist JSON or a CSV.

import { VoxlabError } from '../../common/errors.js';
import { exportLabelsCsv, openStudy, writeDatalist } from '../../datastore/index.js';
import { requiredOption, stringOption, type Command } from '../command.js';

export const exportCommand: Command = {
  name: 'export',
  usage: '--study DIR --out FILE [--format datalist|csv] [--paths relative|absolute] [--with-phi]',
  summary: 'Export the class labels of a study as a MONAI datalist JSON or a CSV.',
  positionals: [0, 0],
  options: {
    study: { type: 'string', help: 'the study folder' },
    out: { type: 'string', help: 'the file to write' },
    format: { type: 'string', help: "'datalist' (MONAI JSON) or 'csv'", default: 'datalist' },
    paths: { type: 'string', help: "image paths 'relative' to the output file's folder, or 'absolute'", default: 'relative' },
    'with-phi': { type: 'boolean', help: 'also write PatientID and the study/series UIDs of DICOM images (default: only a pseudonymous subject id)' },
  },
  async run(args) {
    const format = stringOption(args, 'format') ?? 'datalist';
    const paths = stringOption(args, 'paths') ?? 'relative';
    if (format !== 'datalist' && format !== 'csv') throw new VoxlabError('BAD_ARGUMENT', `--format must be 'datalist' or 'csv', got '${format}'`);
    if (paths !== 'relative' && paths !== 'absolute') throw new VoxlabError('BAD_ARGUMENT', `--paths must be 'relative' or 'absolute', got '${paths}'`);
    const out = requiredOption(args, 'out');
    const withPhi = args.values['with-phi'] === true;
    const study = openStudy(requiredOption(args, 'study'));
    try {
      if (format === 'csv') {
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
