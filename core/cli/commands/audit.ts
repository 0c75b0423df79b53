// `voxlab audit --study DIR [--account A] [--method M] [--target T] [--json]`: the study's audit log
// (issue #13), oldest first, with its hash chain checked; exits 1 when the chain is broken (the database
// was edited behind voxlab's back), naming the first bad row.

import { listAudit, verifyAudit } from '../../datastore/audit.js';
import { openStudy } from '../../datastore/index.js';
import { numberOption, requiredOption, stringOption, type Command } from '../command.js';

export const auditCommand: Command = {
  name: 'audit',
  usage: '--study DIR [--account A] [--method M] [--target T] [--limit N] [--json]',
  summary: 'Show who wrote what and when (labels, labelmaps, classes, accounts, training, models), and check that the log was not edited.',
  positionals: [0, 0],
  options: {
    study: { type: 'string', help: 'the study folder' },
    account: { type: 'string', help: 'only this account' },
    method: { type: 'string', help: 'only this method (e.g. labels.set)' },
    target: { type: 'string', help: 'only this target (an image id, model id, account name)' },
    limit: { type: 'string', help: 'at most this many rows (default 1000)' },
    json: { type: 'boolean', help: 'print { rows, chain } as JSON on stdout' },
  },
  async run(args) {
    const study = openStudy(requiredOption(args, 'study'));
    try {
      const filter = {
        ...(stringOption(args, 'account') !== undefined ? { account: stringOption(args, 'account')! } : {}),
        ...(stringOption(args, 'method') !== undefined ? { method: stringOption(args, 'method')! } : {}),
        ...(stringOption(args, 'target') !== undefined ? { target: stringOption(args, 'target')! } : {}),
        limit: numberOption(args, 'limit', { integer: true, min: 1 }) ?? 1000,
      };
      const rows = listAudit(study, filter);
      const chain = verifyAudit(study);
      if (args.values.json === true) process.stdout.write(`${JSON.stringify({ rows, chain })}\n`);
      else {
        for (const r of rows) {
          const versions = r.beforeVersion !== null || r.afterVersion !== null ? ` v${r.beforeVersion ?? '-'}→v${r.afterVersion ?? '-'}` : '';
          process.stdout.write(`${String(r.seq).padStart(6)}  ${r.at}  ${r.account} (${r.role})  ${r.method}${r.target !== null ? ` ${r.target}` : ''}${versions}\n`);
        }
        process.stdout.write(
          chain.ok
            ? `${rows.length} row(s) shown; the hash chain of all ${chain.rows} row(s) checks out\n`
            : `THE AUDIT LOG WAS EDITED: row ${chain.badSeq}: ${chain.why}\n`,
        );
      }
      return chain.ok ? 0 : 1;
    } finally {
      study.close();
    }
  },
};
