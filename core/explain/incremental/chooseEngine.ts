// Which occlusion engine a model gets, and why, in one place for the CLI and the server: the incremental
// engine for a MONAI DenseNet, whether given by its weights (a training run, a safetensors file) or as an
// ONNX file whose graph and initializers are recognised as one (MONAI's export or ours); the plain engine
// for anything else, or when asked.

import { VoxlabError } from '../../common/errors.js';
import type { ResolvedModel } from '../../infer/resolveModel.js';
import { modelNetwork, type ModelNetwork } from '../modelNetwork.js';
import type { OcclusionEngineFactory } from '../occlusionEngine.js';
import { incrementalOcclusionEngine, type IncrementalOptions } from './ortPieces.js';

/** What the caller asked for: 'auto' takes the incremental engine where it applies. */
export type EngineRequest = 'auto' | 'incremental' | 'plain';

export interface OcclusionEngineChoice {
  readonly name: 'incremental' | 'plain';
  /** Why, in words, for the user (e.g. the CLI's stderr line). */
  readonly reason: string;
  /** The factory for occlusionSensitivity's `engine`; undefined = the plain engine (its default). */
  readonly engine: OcclusionEngineFactory | undefined;
}

/**
 * The occlusion engine for `model`. An ONNX model is read (graph and initializers) to find a DenseNet the
 * incremental engine supports; its weights then come from the file. Throws BAD_ARGUMENT when 'incremental'
 * is asked of a model that is not such a DenseNet, with the reason.
 */
export function chooseOcclusionEngine(
  model: ResolvedModel,
  request: EngineRequest = 'auto',
  options: IncrementalOptions = {},
): OcclusionEngineChoice {
  if (request === 'plain') return { name: 'plain', reason: 'asked for', engine: undefined };
  const { network, reason } = incrementalNetwork(model);
  if (network !== null)
    return {
      name: 'incremental',
      reason,
      engine: incrementalOcclusionEngine(network.description, network.state, options),
    };
  if (request === 'incremental')
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `The incremental occlusion engine cannot run this model: ${reason}`,
    );
  return { name: 'plain', reason, engine: undefined };
}

/** The DenseNet description and weights the incremental engine would run, or null, and why. */
function incrementalNetwork(model: ResolvedModel): ModelNetwork {
  const found = modelNetwork(model);
  const family = found.network?.description.family;
  if (family !== undefined && family !== 'DenseNet')
    return { network: null, reason: `the model is a ${family}, not a DenseNet` };
  return found;
}
