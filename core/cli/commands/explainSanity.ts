// `voxlab explain ... --sanity cascade|data|all`: the saliency sanity checks (Adebayo et al., NeurIPS 2018;
// core/explain/sanity) of the map just made: a progress line per step on stderr, the per-step table (stdout,
// or stderr with --json so stdout stays one JSON object), the report written beside --out as
// MAP.sanity.json and stored with the map in the study (params.sanity).

import { promises as fsp } from 'node:fs';
import { VoxlabError } from '../../common/errors.js';
import type { Study } from '../../datastore/index.js';
import type { ExplainScanReport } from '../../explain/index.js';
import {
  checkMap,
  parseSanityKind,
  retrainable,
  sanityTable,
  type SanityKind,
  type SanityMapSettings,
  type SanityReport,
} from '../../explain/sanity/index.js';
import type { ResolvedModel } from '../../infer/index.js';
import type { Volume } from '../../io/types.js';
import type { OptionSpec, ParsedArgs } from '../command.js';
import { numberOption, stringOption } from '../command.js';

export const SANITY_OPTIONS: Record<string, OptionSpec> = {
  sanity: {
    type: 'string',
    help: "check the map (Adebayo et al. 2018): cascade (randomize the model's layers top to bottom, the map must change), data (retrain on shuffled labels; a study's training run) or all",
  },
  'sanity-seed': {
    type: 'string',
    help: 'sanity: seed of the fresh weights and of the label shuffle (default 0)',
  },
};

/** `--sanity` as a kind, or null when absent. Throws BAD_ARGUMENT in words for another value. */
export function sanityKindOf(args: ParsedArgs): SanityKind | null {
  const raw = stringOption(args, 'sanity');
  return raw === undefined ? null : parseSanityKind(raw, '--sanity');
}

/**
 * Refuses, before any map is computed, checks that cannot run: 'data' / 'all' on a model that is not a
 * training run of the --study (BAD_ARGUMENT, in words). A network voxlab cannot rebuild is refused by
 * checkMap with its reason.
 */
export function checkSanityPossible(
  kind: SanityKind | null,
  model: ResolvedModel,
  study: Study | null,
): void {
  if (kind === null || kind === 'cascade' || retrainable(model, study)) return;
  throw new VoxlabError(
    'BAD_ARGUMENT',
    `--sanity ${kind} retrains the model on shuffled labels, so it needs a training run of the study (--model RUN_ID --study DIR); "${model.id}" is a ${model.kind} model: use --sanity cascade`,
    { model: model.id },
  );
}

/** Where the report goes beside the map: MAP.nii.gz → MAP.sanity.json. */
export function sanityReportPath(out: string): string {
  return `${out.replace(/\.nii(\.gz)?$/i, '')}.sanity.json`;
}

/** Runs the checks, prints the table, writes the report beside `out`; returns the report. */
export async function runCliSanity(
  args: ParsedArgs,
  run: {
    kind: SanityKind;
    model: ResolvedModel;
    scan: Volume;
    report: ExplainScanReport;
    inputMap: Float32Array;
    settings: Omit<SanityMapSettings, 'classIndex' | 'method'>;
    study: Study | null;
    backend: string;
    out: string | undefined;
  },
): Promise<SanityReport> {
  const seed = numberOption(args, 'sanity-seed', { integer: true, min: 0 }) ?? 0;
  let last = '';
  const sanity = await checkMap({
    kind: run.kind,
    model: run.model,
    scan: run.scan,
    settings: { ...run.settings, method: run.report.method, classIndex: run.report.classIndex },
    reference: run.inputMap,
    seed,
    backend: run.backend,
    ...(run.study !== null ? { study: run.study } : {}),
    // The retraining reports every step: one line each time the words change, with the share done.
    onProgress: (line, fraction) => {
      if (line === last) return;
      last = line;
      process.stderr.write(`${line}${fraction !== null ? ` (${Math.round(fraction * 100)} %)` : ''}\n`);
    },
  });
  const table = `${sanityTable(sanity)}\n`;
  if (args.values.json === true) process.stderr.write(table);
  else process.stdout.write(table);
  if (run.out !== undefined) {
    const file = sanityReportPath(run.out);
    await fsp.writeFile(file, `${JSON.stringify(sanity, null, 2)}\n`);
    process.stderr.write(`sanity: report written to ${file}\n`);
  }
  return sanity;
}
