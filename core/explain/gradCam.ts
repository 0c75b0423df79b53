// Grad-CAM (Selvaraju et al., ICCV 2017, arXiv:1610.02391), Grad-CAM++ (Chattopadhyay et al., WACV 2018,
// arXiv:1710.11063) and LayerCAM (Jiang et al., IEEE TIP 30, 2021, "LayerCAM: Exploring Hierarchical Class
// Activation Maps for Localization": per-location weights relu(gradient)) on a tfjs TfModel, as MONAI computes them (monai/visualize/class_activation_maps.py,
// GradCAM / GradCAMpp.compute_map, 1.3.2 = 1.5.0), upsampled trilinearly (align_corners=False, MONAI's
// default_upsampler). Differences on purpose: MONAI's default normalizer maps (min, max) to (1, 0), flipping
// the map; here high = important, min-max scaled to [0, 1]. The default layer is not MONAI's
// 'class_layers.relu' (2x2x2 at 64^3) but one with enough resolution (gradCamLayer.ts, issue #16); pass
// layer 'class_layers.relu' for MONAI's map. MONAI has no LayerCAM.

import * as tf from '@tensorflow/tfjs-core';
import { VoxlabError } from '../common/errors.js';
import type { TfModel } from '../model/tfModel.js';
import { registerTrainingGradients } from '../train/engine/gradients/index.js';
import { resize } from '../transforms/resize.js';
import { resolveGradCamLayer, type CamMethod } from './gradCamLayer.js';
import { sampleToNdhwc } from './tfClassifier.js';

export interface GradCamOptions {
  /**
   * The layer whose activations are weighed (a node name, see gradCamLayers). Default defaultGradCamLayer
   * for the method (cells of at most 8 input voxels, 4 for LayerCAM); 'class_layers.relu' is MONAI's
   * DenseNet choice.
   */
  readonly layer?: string;
  /** The class explained; default the argmax of the logits (as MONAI). */
  readonly classIndex?: number;
  /** 'gradcam' (default), 'gradcam++' or 'layercam'. */
  readonly method?: CamMethod;
}

export interface GradCamResult {
  /** The layer weighed (the default's name when none was given). */
  readonly layer: string;
  readonly classIndex: number;
  /** The logits of the input [classes]. */
  readonly logits: Float32Array;
  /**
   * relu(sum_c w_c A_c) at the layer (MONAI's compute_map; LayerCAM: relu(sum_c relu(g_c) A_c) voxel by
   * voxel), [d, h, w] C order, before upsampling.
   */
  readonly layerMap: { readonly shape: readonly [number, number, number]; readonly data: Float32Array };
  /** The layer map upsampled to the input's [depth, height, width] and min-max scaled to [0, 1] (high = important; all 0 when constant). */
  readonly map: Float32Array;
  readonly shape: readonly [number, number, number];
  /** min and max of the upsampled map before scaling. */
  readonly range: { readonly min: number; readonly max: number };
}

/**
 * Grad-CAM of `model` at `input` ([channels, depth, height, width] C order, one NCDHW sample as the
 * Classifier takes it). Runs the model to the layer, then its remainder under tf.grad to get
 * d(logit_class)/dA. Grad-CAM: w_c = spatial mean of the gradient; Grad-CAM++ (MONAI's formula):
 * alpha = g^2 / (2 g^2 + sum_s A g^3 (1 where that is 0) + 1e-7), w_c = sum_s alpha relu(exp(logit) g);
 * LayerCAM: each voxel's activations weighed by that voxel's positive gradient.
 * Throws SHAPE_MISMATCH for a wrong input, BAD_ARGUMENT for a bad class index or a layer Grad-CAM cannot use
 * (the message lists those it can).
 */
export function gradCam(model: TfModel, input: Float32Array, options: GradCamOptions = {}): GradCamResult {
  registerTrainingGradients();
  const inputShape = model.description.input.shape;
  const method = options.method ?? 'gradcam';
  const layer = resolveGradCamLayer(model.description, options.layer, method).name;
  const x = sampleToNdhwc(input, inputShape);
  let activation: tf.Tensor | undefined;
  try {
    activation = model.forwardTo(x, layer);
    const a = activation;
    if (a.rank !== 5)
      throw new VoxlabError(
        'BAD_ARGUMENT',
        `gradCam: layer ${layer} is not a volume (shape [${a.shape.join(', ')}])`,
      );
    const logits = tf.tidy(() => model.forwardFrom(a, layer).dataSync() as Float32Array);
    const classIndex = options.classIndex ?? argmax(logits);
    if (!(Number.isInteger(classIndex) && classIndex >= 0 && classIndex < logits.length))
      throw new VoxlabError(
        'BAD_ARGUMENT',
        `gradCam: classIndex must be an integer in [0, ${logits.length}), got ${classIndex}`,
      );
    const grad = tf.tidy(() => {
      const oneHot = tf.cast(tf.oneHot([classIndex], logits.length), 'float32');
      return tf
        .grad((t: tf.Tensor) => tf.sum(tf.mul(model.forwardFrom(t, layer), oneHot)))(a)
        .dataSync() as Float32Array;
    });
    const [, d, h, w, channels] = a.shape as [number, number, number, number, number];
    const acti = a.dataSync() as Float32Array;
    const layerMap =
      method === 'layercam'
        ? layerCamMap(acti, grad, channels)
        : weighActivations(
            acti,
            method === 'gradcam++'
              ? gradCamPlusPlusWeights(acti, grad, channels, logits[classIndex]!)
              : meanWeights(grad, channels),
            channels,
          );
    const spatial = inputShape.slice(1) as [number, number, number];
    const up = resize({ shape: [1, d, h, w], data: layerMap }, spatial, {
      mode: 'trilinear',
      alignCorners: false,
    }).data;
    const { map, min, max } = minMax(up);
    return {
      layer,
      classIndex,
      logits,
      layerMap: { shape: [d, h, w], data: layerMap },
      map,
      shape: spatial,
      range: { min, max },
    };
  } finally {
    x.dispose();
    activation?.dispose();
  }
}

/** Grad-CAM weights: the spatial mean of the gradient per channel (NDHWC data, channels fastest). */
function meanWeights(grad: Float32Array, channels: number): Float64Array {
  const w = new Float64Array(channels);
  for (let i = 0; i < grad.length; i++) w[i % channels]! += grad[i]!;
  const voxels = grad.length / channels;
  return w.map((v) => v / voxels);
}

/** MONAI's GradCAMpp weights (see gradCam). */
function gradCamPlusPlusWeights(
  acti: Float32Array,
  grad: Float32Array,
  channels: number,
  score: number,
): Float64Array {
  const cubed = new Float64Array(channels);
  for (let i = 0; i < grad.length; i++) cubed[i % channels]! += acti[i]! * grad[i]! ** 3;
  const scale = Math.exp(score);
  const w = new Float64Array(channels);
  for (let i = 0; i < grad.length; i++) {
    const c = i % channels;
    const g = grad[i]!;
    let denominator = 2 * g * g + cubed[c]!;
    if (denominator === 0) denominator = 1;
    const alpha = (g * g) / (denominator + 1e-7);
    w[c]! += alpha * Math.max(0, scale * g);
  }
  return w;
}

/** relu(sum_c w_c A_c) per voxel of NDHWC activations (channels fastest). */
function weighActivations(acti: Float32Array, weights: Float64Array, channels: number): Float32Array {
  const out = new Float32Array(acti.length / channels);
  for (let v = 0; v < out.length; v++) {
    let s = 0;
    for (let c = 0; c < channels; c++) s += weights[c]! * acti[v * channels + c]!;
    out[v] = Math.max(0, s);
  }
  return out;
}

/** LayerCAM: relu(sum_c relu(g_c) A_c) per voxel (NDHWC, channels fastest; Jiang et al. 2021). */
function layerCamMap(acti: Float32Array, grad: Float32Array, channels: number): Float32Array {
  const out = new Float32Array(acti.length / channels);
  for (let v = 0; v < out.length; v++) {
    let s = 0;
    for (let c = 0; c < channels; c++) s += Math.max(0, grad[v * channels + c]!) * acti[v * channels + c]!;
    out[v] = Math.max(0, s);
  }
  return out;
}

function minMax(values: Float32Array): { map: Float32Array; min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const map = new Float32Array(values.length);
  if (max > min) for (let i = 0; i < values.length; i++) map[i] = (values[i]! - min) / (max - min);
  return { map, min, max };
}

function argmax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
