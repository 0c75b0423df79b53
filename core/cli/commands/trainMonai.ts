// `voxlab train --engine monai` and `voxlab train --follow DIR` (issue #14): training with the user's own
// Python and MONAI through an exported bundle, or following a bundle run started elsewhere, printed like a
// voxlab run (a line per epoch, then a summary) and recorded in the study's model list.

import path from 'node:path';
import { exportBundle } from '../../bundle/exportBundle.js';
import type { BestEpoch } from '../../bundle/follow.js';
import type { MalformedLine } from '../../bundle/followLines.js';
import { followBundleRun } from '../../bundle/followRun.js';
import { runBundle } from '../../bundle/run.js';
import { VoxlabError } from '../../common/errors.js';
import type { ModelRecord, Study } from '../../datastore/index.js';
import type { EpochRecord, TrainConfigInput } from '../../train/index.js';
import { stringOption, type OptionSpec, type ParsedArgs } from '../command.js';

/** The options of the MONAI engine, added to `voxlab train`'s. */
export const MONAI_OPTIONS: Record<string, OptionSpec> = {
  engine: { type: 'string', help: "voxlab (default) or monai: train the study's MONAI bundle with your own Python" },
  python: { type: 'string', help: 'with --engine monai: the Python with torch and MONAI (default VOXLAB_PYTHON, else python3)' },
  launch: { type: 'string', help: 'with --engine monai: a launcher, e.g. "torchrun --nproc_per_node 4"' },
  bundle: {
    type: 'string',
    help: 'with --engine monai: the bundle folder (exported there first when empty; default <study>/bundles/<id>)',
  },
  follow: { type: 'string', help: 'follow a bundle run started elsewhere: its bundle or output folder' },
};

/** A run id from the time: monai-YYYYMMDD-HHMMSS. */
const monaiRunId = () => `monai-${new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}`;

/** A run id from a followed folder's name (letters, digits, '.', '_' and '-' kept). */
export function followRunId(dir: string): string {
  const name = path.basename(path.resolve(dir)).replace(/[^A-Za-z0-9._-]/g, '-');
  return `monai-${name}`.slice(0, 128);
}

/** train.ts's formatEpoch (passed in: train.ts imports this file). */
export type EpochFormatter = (r: EpochRecord, epochs: number, isBest: boolean) => string;

/** Epoch lines and malformed-line warnings on stderr. */
function reporter(epochs: () => number, formatEpoch: EpochFormatter) {
  return {
    onEpoch: (r: EpochRecord, best: BestEpoch | null) =>
      process.stderr.write(`${formatEpoch(r, epochs(), best?.epoch === r.epoch)}\n`),
    onMalformed: (m: MalformedLine) => process.stderr.write(`metrics line ${m.line} skipped (${m.reason}): ${m.text}\n`),
  };
}

/** The summary after a bundle run or follow. */
export function formatBundleSummary(model: ModelRecord, extra: readonly string[]): string {
  const m = model.metrics as { bestEpoch?: number | null; best?: { accuracy?: number; auc?: number | null; n?: number } | null };
  const c = model.config as { classes?: string[]; files?: Record<string, string> };
  const best = m.best;
  return [
    `model    ${model.id} (recorded in the study; classes ${(c.classes ?? []).join(', ')})`,
    best
      ? `best     epoch ${m.bestEpoch}: val accuracy ${best.accuracy?.toFixed(3) ?? '-'}, AUC ${best.auc?.toFixed(3) ?? '-'} (n = ${best.n ?? '?'})`
      : 'best     no validated epoch',
    `files    ${Object.values(c.files ?? {}).join(', ')}`,
    ...extra,
  ].join('\n');
}

/**
 * Runs `voxlab train --engine monai` or `--follow` for a parsed command line; prints the epochs and the
 * summary (or JSON). `settings`: the voxlab training settings given, used when the bundle is exported.
 */
export async function trainWithMonai(
  study: Study,
  args: ParsedArgs,
  run: { settings: TrainConfigInput; given: readonly string[]; signal: AbortSignal; formatEpoch: EpochFormatter },
): Promise<void> {
  const { settings, given, signal } = run;
  const follow = stringOption(args, 'follow');
  const runId = stringOption(args, 'id') ?? (follow !== undefined ? followRunId(follow) : monaiRunId());
  let epochs = 0;
  const report = reporter(() => epochs, run.formatEpoch);
  const common = {
    signal,
    onProgress: (p: { epochs: number }) => (epochs = p.epochs),
    onEpoch: report.onEpoch,
    onMalformed: report.onMalformed,
  };
  if (follow !== undefined) {
    process.stderr.write(`following ${path.resolve(follow)} as run ${runId} (Ctrl-C stops following, not the run)\n`);
    const r = await followBundleRun(study, follow, { runId, ...common });
    print(args, r, formatBundleSummary(r.model, [`followed ${r.target.outputDir}`]));
    return;
  }
  const bundleArg = stringOption(args, 'bundle');
  if (bundleArg !== undefined && given.length > 0)
    throw new VoxlabError('BAD_ARGUMENT', `--bundle runs a bundle with its own settings: drop ${given.map((n) => `--${n}`).join(', ')} (or export a new bundle)`);
  const python = stringOption(args, 'python');
  const launch = stringOption(args, 'launch');
  const r = await runBundle(study, {
    runId,
    bundleDir: bundleArg ?? path.join(study.dir, 'bundles', runId),
    exportBundle: async (s, dir) => {
      process.stderr.write(`exporting the study as a MONAI bundle into ${dir}\n`);
      await exportBundle(s, dir, { config: settings });
    },
    ...(python !== undefined ? { python } : {}),
    ...(launch !== undefined ? { launch } : {}),
    onPython: (p) => p.found && process.stderr.write(`python   ${p.detail}\n`),
    ...common,
  });
  print(args, r, formatBundleSummary(r.model, [`ran with ${r.python.detail}${launch ? ` under ${launch}` : ''}, ${r.seconds.toFixed(1)}s; log ${r.logFile}`]));
}

function print(args: ParsedArgs, result: object, text: string): void {
  process.stdout.write(args.values.json === true ? `${JSON.stringify(result)}\n` : `${text}\n`);
}
