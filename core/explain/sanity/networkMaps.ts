// The map of one scan and class as a function of the network's weights, for the sanity checks: the trained
// weights, a cascade step's partly randomized ones, or a shuffled-label model's all run through the same
// method, settings and engine (occlusion: the same engine choice on an ONNX export of those weights; Grad-CAM:
// a tfjs model holding them), so only the weights differ between the maps compared.

import type { StateDict } from '../../infer/stateDict.js';
import { exportOnnx } from '../../infer/exportOnnx.js';
import { openModelClassifier } from '../../infer/OrtClassifier.js';
import type { ResolvedModel } from '../../infer/resolveModel.js';
import type { Volume } from '../../io/types.js';
import { explainScan, type ExplainMethod } from '../explainScan.js';
import { chooseOcclusionEngine, type EngineRequest } from '../incremental/chooseEngine.js';
import { planOcclusion, type OcclusionParams, type VoxelBox } from '../occlusionParams.js';
import { tfClassifier } from '../tfClassifier.js';
import { tfModelFromState } from '../tfModelFromState.js';

/** How every map of a sanity check is made: what `voxlab explain` / explain.run ran for the map checked. */
export interface SanityMapSettings {
  readonly method: ExplainMethod;
  /** The class explained on every map (the trained model's, fixed). */
  readonly classIndex: number;
  readonly preprocess?: 'seed' | 'none';
  /** Grad-CAM: the layer weighed (default as explainScan). */
  readonly layer?: string;
  /** Occlusion: its parameters (a bBox restricts the comparison to that box), view and engine request. */
  readonly occlusion?: OcclusionParams;
  readonly view?: 'importance' | 'probability';
  readonly engine?: EngineRequest;
  /** ONNX Runtime execution provider for occlusion (default 'auto'). */
  readonly provider?: string;
  readonly signal?: AbortSignal;
}

/** The maps compared and their grid: model-input voxels, [depth, height, width] C order, cropped to a bBox. */
export interface NetworkMaps {
  readonly shape: [number, number, number];
  /** The map `model`'s network gives with weights `state` (same description; e.g. randomizedState's). */
  mapOf(state: StateDict): Promise<Float32Array>;
  /** The part of a full model-input map the checks compare (the occlusion bBox, else all of it). */
  crop(data: Float32Array): Float32Array;
}

/**
 * Maps of `scan` by `model`'s network with other weights. The tfjs backend must be ready for Grad-CAM. The
 * model must carry its network (a training run, safetensors or .pt file, or a recognised DenseNet ONNX,
 * see modelNetwork); the caller checks. Errors of explainScan pass through.
 */
export function networkMaps(
  model: ResolvedModel & { readonly network: NonNullable<ResolvedModel['network']> },
  scan: Volume,
  s: SanityMapSettings,
): NetworkMaps {
  const { description } = model.network;
  const spatial = description.input.shape.slice(1) as [number, number, number];
  const box: VoxelBox | null =
    s.method === 'occlusion' && s.occlusion?.bBox !== undefined
      ? planOcclusion(spatial, s.occlusion).box
      : null;
  const crop = (data: Float32Array) => (box === null ? data : cropBox(data, spatial, box));
  const shape =
    box === null ? spatial : ([0, 1, 2].map((d) => box.end[d]! - box.start[d]!) as [number, number, number]);
  const common = {
    classIndex: s.classIndex,
    ...(s.preprocess !== undefined ? { preprocess: s.preprocess } : {}),
  };
  return {
    shape,
    crop,
    async mapOf(state) {
      if (s.method !== 'occlusion') {
        const tfModel = tfModelFromState(description, state);
        try {
          const { inputMap } = await explainScan(scan, {
            ...common,
            method: s.method,
            model: tfModel,
            classifier: tfClassifier(tfModel, model.classes),
            ...(s.layer !== undefined ? { layer: s.layer } : {}),
          });
          return crop(inputMap.data);
        } finally {
          tfModel.dispose();
        }
      }
      const variant = {
        ...model,
        onnx: exportOnnx(description, state, { classes: model.classes }),
        network: { description, state },
      };
      const provider = s.provider ?? 'auto';
      const classifier = await openModelClassifier(variant, { provider });
      try {
        const { engine } = chooseOcclusionEngine(variant, s.engine ?? 'auto', { provider });
        const { inputMap } = await explainScan(scan, {
          ...common,
          method: 'occlusion',
          classifier,
          ...(s.view !== undefined ? { view: s.view } : {}),
          occlusion: {
            ...s.occlusion,
            ...(engine !== undefined ? { engine } : {}),
            ...(s.signal !== undefined ? { signal: s.signal } : {}),
          },
        });
        return crop(inputMap.data);
      } finally {
        await classifier.dispose();
      }
    },
  };
}

/** `data` ([d, h, w] C order over `spatial`) cut to `box` (end exclusive), C order. */
function cropBox(data: Float32Array, spatial: readonly number[], box: VoxelBox): Float32Array {
  const [, h, w] = spatial as [number, number, number];
  const { start, end } = box;
  const out = new Float32Array((end[0] - start[0]) * (end[1] - start[1]) * (end[2] - start[2]));
  let p = 0;
  for (let i = start[0]; i < end[0]; i++)
    for (let j = start[1]; j < end[1]; j++) {
      const row = (i * h + j) * w;
      out.set(data.subarray(row + start[2], row + end[2]), p);
      p += end[2] - start[2];
    }
  return out;
}
