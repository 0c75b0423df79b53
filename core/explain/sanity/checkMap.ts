// One entry point for `voxlab explain --sanity`, the server's explain.run { sanity } and the bench: the
// sanity checks of a map just made, with the model, scan and settings that made it.

import { VoxlabError } from '../../common/errors.js';
import type { Study } from '../../datastore/index.js';
import type { ResolvedModel } from '../../infer/resolveModel.js';
import type { Volume } from '../../io/types.js';
import { modelNetwork } from '../modelNetwork.js';
import { networkMaps, type SanityMapSettings } from './networkMaps.js';
import { sanityCheck, type SanityKind, type SanityReport } from './sanityCheck.js';
import { trainOnShuffledLabels } from './shuffledLabels.js';

export interface CheckMapInput {
  readonly kind: SanityKind;
  readonly model: ResolvedModel;
  readonly scan: Volume;
  /** How the map was made (method, class, settings); every check's map is made the same way. */
  readonly settings: SanityMapSettings;
  /** The map checked, on the model-input grid (explainScan's inputMap.data, [depth, height, width] C order). */
  readonly reference: Float32Array;
  /** The study whose training run `model` is: needed for 'data' and 'all' (the run is retrained). */
  readonly study?: Study;
  /** Seeds the fresh weights and the label shuffle (default 0). */
  readonly seed?: number;
  /** The tfjs backend name training records (e.g. 'tfjs-wasm'); the backend must be ready. */
  readonly backend?: string;
  /** Progress lines with the fraction of the check done (see SanityCheckInput.onProgress). */
  readonly onProgress?: (line: string, fraction: number | null) => void;
}

/**
 * Whether the data randomization ('data', 'all') can run for `model`: it retrains the model's recorded recipe,
 * so the model must be a training run of `study`. The CLI and the server ask before computing any map.
 */
export function retrainable(model: Pick<ResolvedModel, 'kind'>, study: Study | null | undefined): study is Study {
  return model.kind === 'run' && study !== undefined && study !== null;
}

/**
 * Runs `input.kind`'s checks on the map. Throws BAD_ARGUMENT when the model's network cannot be rebuilt
 * (an ONNX graph that is not a DenseNet voxlab recognises: nothing to randomize), or when 'data' / 'all' is
 * asked of a model that is not a training run of `study`; errors of the maps and of training pass through.
 */
export async function checkMap(input: CheckMapInput): Promise<SanityReport> {
  const { model, kind } = input;
  const { network, reason } = modelNetwork(model);
  if (network === null)
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `The sanity checks randomize the model's layers, so they need a network voxlab can rebuild (a training run, a safetensors or .pt file, or a DenseNet ONNX voxlab recognises); model "${model.id}" is not one: ${reason}`,
      { model: model.id },
    );
  const maps = networkMaps({ ...model, network }, input.scan, input.settings);
  const seed = input.seed ?? 0;
  const { study } = input;
  const retrain = kind !== 'cascade' && retrainable(model, study);
  return sanityCheck({
    kind,
    network,
    maps,
    reference: maps.crop(input.reference),
    seed,
    ...(input.onProgress !== undefined ? { onProgress: input.onProgress } : {}),
    ...(retrain
      ? {
          shuffled: async () => {
            let epochs = 0;
            const start = kind === 'all' ? 0.1 : 0;
            const share = (done: number) => start + (0.99 - start) * done;
            const m = await trainOnShuffledLabels(study, model.id, seed, {
              ...(input.backend !== undefined ? { backend: input.backend } : {}),
              ...(input.settings.signal !== undefined ? { signal: input.settings.signal } : {}),
              // The retraining is the check's bulk: after the cascade's share ('all': 10 %) up to 99 %.
              onProgress: (p) => {
                epochs = p.epochs;
                const done = (p.epoch - 1 + (p.phase === 'train' ? p.step / p.stepsPerEpoch : 1)) / p.epochs;
                input.onProgress?.(`sanity data: shuffled-label epoch ${p.epoch} of ${p.epochs}`, share(done));
              },
              onEpoch: (r) =>
                input.onProgress?.(
                  `sanity data: shuffled-label epoch ${r.epoch}, train accuracy ${r.train.accuracy.toFixed(2)}`,
                  epochs > 0 ? share(r.epoch / epochs) : null,
                ),
            });
            return { state: m.state, trainAccuracy: m.history.at(-1)?.train.accuracy ?? null };
          },
        }
      : {}),
  });
}
