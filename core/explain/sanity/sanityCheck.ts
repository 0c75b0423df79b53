// Runs the saliency sanity checks of Adebayo et al. (NeurIPS 2018) on one map: cascading randomization of
// the model's weights and/or a model trained on shuffled labels, and gives the report stored with the map.

import { VoxlabError } from '../../common/errors.js';
import type { StateDict } from '../../infer/stateDict.js';
import type { ModelDescription } from '../../model/index.js';
import { cascadingRandomization, type CascadeStep } from './cascade.js';
import { compareMaps, type MapComparison } from './compareMaps.js';
import type { NetworkMaps } from './networkMaps.js';
import { sanityVerdict, type SanityOutcome } from './verdict.js';

/** Which checks: the cascade, the shuffled-label model, or both. */
export const SANITY_KINDS = ['cascade', 'data', 'all'] as const;
export type SanityKind = (typeof SANITY_KINDS)[number];

/** `raw` as a SanityKind. Throws BAD_ARGUMENT in words (`what` names the option, e.g. '--sanity'). */
export function parseSanityKind(raw: unknown, what = 'sanity'): SanityKind {
  if (typeof raw === 'string' && (SANITY_KINDS as readonly string[]).includes(raw)) return raw as SanityKind;
  throw new VoxlabError(
    'BAD_ARGUMENT',
    `${what} must be cascade (randomize the model's layers, top to bottom), data (retrain on shuffled labels) or all (both); got ${JSON.stringify(raw)}`,
    { value: typeof raw === 'string' ? raw : String(raw) },
  );
}

/** The report of the checks on one map; JSON as stored with the map (params.sanity). */
export interface SanityReport extends SanityOutcome {
  readonly kind: SanityKind;
  /** The seed of the fresh weights (cascade) and of the label shuffle (data). */
  readonly seed: number;
  /** Per step, class_layers first; null when the cascade did not run. */
  readonly cascade: readonly CascadeStep[] | null;
  /** The trained vs the shuffled-label model's map; null when that check did not run. */
  readonly data: (MapComparison & { readonly trainAccuracy: number | null }) | null;
  readonly seconds: number;
}

export interface SanityCheckInput {
  readonly kind: SanityKind;
  readonly network: { readonly description: ModelDescription; readonly state: StateDict };
  /** Maps with other weights, the same method and settings (networkMaps). */
  readonly maps: NetworkMaps;
  /** The trained model's map, cropped by maps.crop (the one being checked). */
  readonly reference: Float32Array;
  /** Seed of the fresh weights and of the label shuffle (default 0). */
  readonly seed?: number;
  /** Trains the shuffled-label model (data / all): its weights and last training accuracy. */
  readonly shuffled?: () => Promise<{ state: StateDict; trainAccuracy: number | null }>;
  /**
   * A line per step, for progress (each step explains the scan once more), with the fraction of the whole
   * check done (0-1): the cascade's steps, or for 'all' its first 10 % (the retraining takes the rest).
   */
  readonly onProgress?: (line: string, fraction: number | null) => void;
}

/**
 * Runs `kind`'s checks. Throws BAD_ARGUMENT when 'data' or 'all' is asked without `shuffled` (only a
 * training run of a study can be retrained); errors of the maps and of training pass through.
 */
export async function sanityCheck(input: SanityCheckInput): Promise<SanityReport> {
  const started = performance.now();
  const { kind, maps, reference } = input;
  const seed = input.seed ?? 0;
  const log = input.onProgress ?? (() => {});
  if (kind !== 'cascade' && input.shuffled === undefined)
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `The data randomization check (sanity ${kind}) retrains the model on shuffled labels, so it needs a model trained in the study (a training run); this model can have the cascade check only`,
    );
  const cascade =
    kind === 'data'
      ? null
      : await cascadingRandomization(input.network, reference, maps.shape, (s) => maps.mapOf(s), {
          seed,
          onStep: (i, of, layer) =>
            log(`sanity cascade ${i}/${of}: randomizing ${layer}`, ((i - 1) / of) * (kind === 'all' ? 0.1 : 1)),
        });
  let data: SanityReport['data'] = null;
  if (kind !== 'cascade') {
    log('sanity data: the same recipe on shuffled labels', kind === 'all' ? 0.1 : 0);
    const shuffled = await input.shuffled!();
    log('sanity data: explaining with the shuffled-label model', 0.99);
    data = {
      ...compareMaps(reference, await maps.mapOf(shuffled.state), maps.shape),
      trainAccuracy: shuffled.trainAccuracy,
    };
  }
  const referenceFlat = reference.every((v) => v === reference[0]);
  return {
    kind,
    seed,
    ...sanityVerdict({ cascade, data, referenceFlat }),
    cascade,
    data,
    seconds: (performance.now() - started) / 1000,
  };
}

/** The per-step table for people (the CLI prints it): step, layers randomized, the three similarities. */
export function sanityTable(report: SanityReport): string {
  const row = (name: string, m: MapComparison) =>
    `${name.padEnd(34)} ${m.spearman.toFixed(3).padStart(8)} ${m.spearmanAbs.toFixed(3).padStart(8)} ${m.ssim.toFixed(3).padStart(8)}`;
  const lines = [
    `${'randomized'.padEnd(34)} ${'spearman'.padStart(8)} ${'|rho|abs'.padStart(8)} ${'ssim'.padStart(8)}`,
  ];
  for (const [i, s] of (report.cascade ?? []).entries()) lines.push(row(`${i + 1}. + ${s.layer}`, s));
  if (report.data !== null) lines.push(row('shuffled labels (data)', report.data));
  lines.push(`sanity check: ${report.verdict}: ${report.words}`);
  return lines.join('\n');
}
