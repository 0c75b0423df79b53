// `voxlab explain --model M FILE --method occlusion|gradcam|gradcam++ --out MAP.nii.gz`: why the model
// decided, as a map on the scan's own voxel grid and affine (so any viewer overlays it exactly).
// Occlusion runs in ONNX Runtime (incrementally for our DenseNets, see core/explain/incremental); Grad-CAM
// needs gradients and runs on the tfjs model, so it needs the weights (a study model or safetensors file).

import { VoxlabError } from '../../common/errors.js';
import {
  explainScan,
  occlusionCost,
  sliceBBox,
  type ExplainMethod,
  type OcclusionActivation,
  type OcclusionMode,
  type OcclusionOptions,
} from '../../explain/index.js';
import { incrementalOcclusionEngine } from '../../explain/incremental/ortPieces.js';
import { tfModelFromState } from '../../explain/tfModelFromState.js';
import {
  openModelClassifier,
  PREPROCESS_MODES,
  type PreprocessMode,
  type ResolvedModel,
} from '../../infer/index.js';
import { readNifti } from '../../io/readNifti.js';
import { numberOption, requiredOption, stringOption, type Command, type ParsedArgs } from '../command.js';
import { ProgressBar } from '../progress.js';
import { MODEL_OPTIONS, modelFromArgs } from './infer.js';
import { BACKEND_OPTIONS, startBackend, withCancel } from './train.js';

const METHODS: readonly ExplainMethod[] = ['occlusion', 'gradcam', 'gradcam++'];
const ACTIVATIONS: readonly OcclusionActivation[] = ['softmax', 'monai', 'sigmoid', 'none'];

function choice<T extends string>(args: ParsedArgs, name: string, allowed: readonly T[], fallback: T): T {
  const v = stringOption(args, name) ?? fallback;
  if (!(allowed as readonly string[]).includes(v))
    throw new VoxlabError('BAD_ARGUMENT', `--${name} must be one of ${allowed.join(', ')}, got '${v}'`);
  return v as T;
}

/** `--mode`: gaussian, mean_img, mean_patch or a number (the value occluded voxels get). */
export function parseMode(raw: string | undefined): OcclusionMode | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'gaussian' || raw === 'mean_img' || raw === 'mean_patch') return raw;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v))
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `--mode must be gaussian, mean_img, mean_patch or a number, got '${raw}'`,
    );
  return v;
}

/** `--slice axis:index` (axis 0|1|2 or i|j|k, index in the model-input grid) or `--b-box` (6 integers) as MONAI's b_box. */
export function parseBox(slice: string | undefined, box: string | undefined): number[] | undefined {
  if (slice !== undefined && box !== undefined)
    throw new VoxlabError('BAD_ARGUMENT', 'give --slice or --b-box, not both');
  if (slice !== undefined) {
    const m = /^([012ijk]):(\d+)$/.exec(slice.trim());
    if (m === null)
      throw new VoxlabError(
        'BAD_ARGUMENT',
        `--slice must be axis:index with axis 0, 1, 2 (or i, j, k), e.g. 0:48; got '${slice}'`,
      );
    return sliceBBox('012ijk'.indexOf(m[1]!) % 3, Number(m[2]));
  }
  if (box !== undefined) {
    const parts = box.split(',').map((s) => Number(s.trim()));
    if (parts.length !== 6 || !parts.every((v) => Number.isInteger(v)))
      throw new VoxlabError(
        'BAD_ARGUMENT',
        `--b-box must be 6 integers min0,max0,min1,max1,min2,max2 (max exclusive, -1 = whole axis); got '${box}'`,
      );
    return parts;
  }
  return undefined;
}

/** The class to explain: an index or a class name; undefined = the predicted class. */
function classIndexOf(raw: string | undefined, classes: readonly string[]): number | undefined {
  if (raw === undefined) return undefined;
  const byName = classes.indexOf(raw);
  if (byName >= 0) return byName;
  const i = Number(raw);
  if (Number.isInteger(i) && i >= 0 && i < classes.length) return i;
  throw new VoxlabError(
    'BAD_ARGUMENT',
    `--class must be one of ${classes.join(', ')} or an index below ${classes.length}, got '${raw}'`,
  );
}

export const explainCommand: Command = {
  name: 'explain',
  usage:
    '--model M FILE --method occlusion|gradcam|gradcam++ --out MAP.nii.gz [--slice AXIS:INDEX | --b-box B] [--json]',
  summary:
    "Explain a model's decision on a scan as a heatmap NIfTI on the scan's own grid (occlusion sensitivity or Grad-CAM).",
  positionals: [1, 1],
  options: {
    ...MODEL_OPTIONS,
    method: { type: 'string', help: 'occlusion, gradcam or gradcam++', default: 'occlusion' },
    out: { type: 'string', help: 'where to write the map (.nii.gz or .nii), on the scan grid and affine' },
    'mask-size': {
      type: 'string',
      help: 'occlusion: edge of the occluding cube in model-input voxels (MONAI default 16)',
    },
    overlap: {
      type: 'string',
      help: 'occlusion: fraction of the mask neighbouring windows share (default 0.25)',
    },
    'n-batch': { type: 'string', help: 'occlusion: occluded volumes per forward pass (default 16)' },
    mode: {
      type: 'string',
      help: 'occlusion: gaussian, mean_img, mean_patch or a number (default gaussian)',
    },
    'b-box': {
      type: 'string',
      help: 'occlusion: min0,max0,min1,max1,min2,max2 in model-input voxels, max exclusive, -1 = whole axis',
    },
    slice: {
      type: 'string',
      help: 'occlusion: one slice, AXIS:INDEX in model-input voxels (0:48 = MONAI b_box [48,49,-1,...])',
    },
    activation: {
      type: 'string',
      help: "occlusion: softmax over classes, or monai (MONAI's sigmoid for 1-channel input), sigmoid, none",
      default: 'softmax',
    },
    view: {
      type: 'string',
      help: 'occlusion: importance (baseline - map, high = important) or probability (MONAI map)',
      default: 'importance',
    },
    engine: {
      type: 'string',
      help: 'occlusion: auto (incremental for our DenseNets), incremental or plain',
      default: 'auto',
    },
    class: { type: 'string', help: 'the class to explain, by name or index (default: the predicted class)' },
    preprocess: {
      type: 'string',
      help: "seed (ScaleIntensity -> Resize to the model's input) or none",
      default: 'seed',
    },
    provider: {
      type: 'string',
      help: 'ONNX Runtime execution provider: auto, cpu, cuda, dml, coreml',
      default: 'auto',
    },
    ...BACKEND_OPTIONS,
    json: {
      type: 'boolean',
      help: 'print the report (probabilities, map statistics, peak voxel and world mm, timing) as JSON on stdout',
    },
  },
  async run(args) {
    const file = args.positionals[0]!;
    const out = requiredOption(args, 'out');
    const method = choice(args, 'method', METHODS, 'occlusion');
    const preprocess = choice(args, 'preprocess', PREPROCESS_MODES as readonly PreprocessMode[], 'seed');
    const view = choice(args, 'view', ['importance', 'probability'] as const, 'importance');
    const engineChoice = choice(args, 'engine', ['auto', 'incremental', 'plain'] as const, 'auto');
    const maskSize = numberOption(args, 'mask-size', { integer: true, min: 1 });
    const overlap = numberOption(args, 'overlap', { min: 0 });
    const nBatch = numberOption(args, 'n-batch', { integer: true, min: 1 });
    const mode = parseMode(stringOption(args, 'mode'));
    const bBox = parseBox(stringOption(args, 'slice'), stringOption(args, 'b-box'));
    const activation = choice(args, 'activation', ACTIVATIONS, 'softmax');
    const scan = await readNifti(file);
    const model = await modelFromArgs(args);
    if (method !== 'occlusion' && model.network === null)
      throw new VoxlabError(
        'BAD_ARGUMENT',
        `${method} needs gradients, so the model's weights: give a study model id or a .safetensors file (an ONNX file supports --method occlusion only)`,
      );
    const classifier = await openModelClassifier(model, {
      provider: stringOption(args, 'provider') ?? 'auto',
    });
    try {
      const classIndex = classIndexOf(stringOption(args, 'class'), classifier.classes);
      const bar = new ProgressBar({ label: method });
      let occlusion: OcclusionOptions | undefined;
      if (method === 'occlusion') {
        const params = {
          ...(maskSize !== undefined ? { maskSize } : {}),
          ...(overlap !== undefined ? { overlap } : {}),
          ...(nBatch !== undefined ? { nBatch } : {}),
          ...(mode !== undefined ? { mode } : {}),
          ...(bBox !== undefined ? { bBox } : {}),
          activation,
        };
        const cost = occlusionCost(classifier.inputShape.slice(1), params);
        const engine = pickEngine(engineChoice, model);
        process.stderr.write(
          `occlusion: ${cost.windows} windows (forward passes) in ${cost.batches} batches, ${engine === undefined ? 'plain' : 'incremental'} engine, ${classifier.engine}\n`,
        );
        occlusion = {
          ...params,
          ...(engine !== undefined ? { engine } : {}),
          onProgress: (p) => bar.update(p.done, p.total),
        };
      }
      const tfModel = method === 'occlusion' ? undefined : await gradientModel(args, model);
      try {
        const { report } = await withCancel((signal) =>
          explainScan(scan, {
            method,
            classifier,
            preprocess,
            view,
            out,
            ...(tfModel !== undefined ? { model: tfModel } : {}),
            ...(classIndex !== undefined ? { classIndex } : {}),
            ...(occlusion !== undefined ? { occlusion: { ...occlusion, signal } } : {}),
          }),
        );
        bar.finish();
        const full = {
          file,
          model: { id: model.id, kind: model.kind, engine: classifier.engine },
          ...report,
        };
        if (args.values.json === true) process.stdout.write(`${JSON.stringify(full)}\n`);
        else {
          const probs = report.classes
            .map((c, i) => `${c} ${report.probabilities[i]!.toFixed(3)}`)
            .join('  ');
          process.stdout.write(
            [
              `${file}: ${report.classes[report.classIndex]} explained by ${method}${report.windows !== undefined ? ` (${report.windows} windows)` : ''} in ${report.seconds.toFixed(1)} s`,
              `probabilities  ${probs}`,
              `map            min ${report.map.min.toPrecision(4)}  max ${report.map.max.toPrecision(4)}  mean ${report.map.mean.toPrecision(4)}`,
              `peak           voxel (${report.peak.voxel.join(', ')})  world (${report.peak.worldMm.map((v) => v.toFixed(1)).join(', ')}) mm`,
              `written        ${out}`,
            ].join('\n') + '\n',
          );
        }
        return 0;
      } finally {
        tfModel?.dispose();
      }
    } finally {
      await classifier.dispose();
    }
  },
};

/** The incremental engine for our DenseNets (unless --engine plain); undefined = the plain engine. */
function pickEngine(choice: 'auto' | 'incremental' | 'plain', model: ResolvedModel) {
  if (choice === 'plain') return undefined;
  const network = model.network;
  if (network === null || network.description.family !== 'DenseNet') {
    if (choice === 'incremental')
      throw new VoxlabError(
        'BAD_ARGUMENT',
        '--engine incremental needs one of our DenseNets (a study model id or a .safetensors file), not an ONNX file',
      );
    return undefined;
  }
  return incrementalOcclusionEngine(network.description, network.state);
}

/** The tfjs model Grad-CAM differentiates, on the backend --backend asks for. */
async function gradientModel(args: ParsedArgs, model: ResolvedModel) {
  await startBackend(args);
  return tfModelFromState(model.network!.description, model.network!.state);
}
