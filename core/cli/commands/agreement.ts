// `voxlab agreement --study DIR [--json]`: inter-reader agreement of a reader study (issue #13) over each
// reader's latest read: percent agreement, Cohen's kappa (two readers) or Fleiss' kappa (more), per class,
// confusion between readers, and the scans they disagree on (core/agreement).

import { agreement, formatAgreement } from '../../agreement/index.js';
import { openStudy } from '../../datastore/index.js';
import { agreementInput } from '../../datastore/reads.js';
import { requiredOption, type Command } from '../command.js';

export const agreementCommand: Command = {
  name: 'agreement',
  usage: '--study DIR [--json]',
  summary: "How much the study's readers agree: kappa, per class, confusion between readers, disagreements.",
  positionals: [0, 0],
  options: {
    study: { type: 'string', help: 'the study folder' },
    json: { type: 'boolean', help: 'print the whole report as JSON on stdout' },
  },
  async run(args) {
    const study = openStudy(requiredOption(args, 'study'));
    try {
      const { reads, classes } = agreementInput(study);
      const report = agreement(reads, classes);
      process.stdout.write(args.values.json === true ? `${JSON.stringify(report)}\n` : `${formatAgreement(report).join('\n')}\n`);
      return 0;
    } finally {
      study.close();
    }
  },
};
