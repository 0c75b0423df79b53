// `voxlab explain --model M FILE --method occlusion|gradcam|gradcam++|layercam --out MAP.nii.gz [--study DIR]`: why
// the model decided, as a map on the scan's own voxel grid and affine (so any viewer overlays it exactly);
// with --study and a scan of that study, the map is also stored in the study (see explainStudy.ts).
// Occlusion runs in ONNX Runtime (incrementally for MONAI DenseNets, given by weights or as a recognised
// ONNX file, see core/explain/incremental/chooseEngine.ts); Grad-CAM needs gradients and runs on a tfjs
// model rebuilt from the weights: a study model, a safetensors file, or an ONNX file holding a DenseNet
// voxlab recognises (core/explain/gradCamNetwork.ts).

import type { Json } from '../../api/index.js';
import { VoxlabError } from '../../common/errors.js';
import {
  explainScan,
  OCCLUSION_MODES,
  occlusionCost,
  sliceBBox,
  type ExplainMethod,
  type OcclusionActivation,
  type OcclusionMode,
  type OcclusionOptions,
  type OcclusionParams,
} from '../../explain/index.js';
import { gradCamNetwork } from '../../explain/gradCamNetwork.js';
import { chooseOcclusionEngine } from '../../explain/incremental/chooseEngine.js';
import { tfModelFromState } from '../../explain/tfModelFromState.js';
import { openModelClassifier, PREPROCESS_MODES, type PreprocessMode } from '../../infer/index.js';
import { readNifti } from '../../io/readNifti.js';
import { gradCamParamsAsRun, occlusionParamsAsRun } from '../../server/service/explainRecord.js';
import { numberOption, stringOption, type Command, type ParsedArgs } from '../command.js';
import { ProgressBar } from '../progress.js';
import { printReport } from './explainReport.js';
import { checkSanityPossible, runCliSanity, SANITY_OPTIONS, sanityKindOf } from './explainSanity.js';
import { explainTarget, storeCliMap, type ExplainTarget } from './explainStudy.js';
import { MODEL_OPTIONS, modelFromArgs } from './infer.js';
import { BACKEND_OPTIONS, startBackend, withCancel } from './train.js';

const METHODS: readonly ExplainMethod[] = ['occlusion', 'gradcam', 'gradcam++', 'layercam'];
const ACTIVATIONS: readonly OcclusionActivation[] = ['softmax', 'monai', 'sigmoid', 'none'];

function choice<T extends string>(args: ParsedArgs, name: string, allowed: readonly T[], fallback: T): T {
  const v = stringOption(args, name) ?? fallback;
  if (!(allowed as readonly string[]).includes(v))
    throw new VoxlabError('BAD_ARGUMENT', `--${name} must be one of ${allowed.join(', ')}, got '${v}'`);
  return v as T;
}

/** `--mode`: mean_surround (default), gaussian (MONAI's), mean_patch, mean_img or a number (the value occluded voxels get). */
export function parseMode(raw: string | undefined): OcclusionMode | undefined {
  if (raw === undefined) return undefined;
  const named = OCCLUSION_MODES.find((m) => m === raw);
  if (named !== undefined) return named;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v))
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `--mode must be one of ${OCCLUSION_MODES.join(', ')} or a number, got '${raw}'`,
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
    '--model M FILE|IMAGE_ID --method occlusion|gradcam|gradcam++|layercam (--out MAP.nii.gz | --study DIR) [--slice AXIS:INDEX | --b-box B] [--sanity cascade|data|all] [--json]',
  summary:
    "Explain a model's decision on a scan as a heatmap NIfTI on the scan's own grid (occlusion sensitivity, Grad-CAM, Grad-CAM++ or LayerCAM).",
  positionals: [1, 1],
  options: {
    ...MODEL_OPTIONS,
    method: { type: 'string', help: 'occlusion, gradcam, gradcam++ or layercam', default: 'occlusion' },
    out: {
      type: 'string',
      help: 'where to write the map (.nii.gz or .nii), on the scan grid and affine (optional with --study)',
    },
    study: {
      type: 'string',
      help: 'the study folder: for a model id, and to store the map in the study when FILE is one of its images (or an image id)',
    },
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
      help: "occlusion: mean_surround (default: the window replaced by the mean of the 2-voxel shell around it, removes bright and dark features alike), gaussian (MONAI's default: multiplies toward 0, deepens dark lesions), mean_patch, mean_img or a number",
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
      help: 'occlusion: auto (incremental for MONAI DenseNets, also as ONNX files), incremental or plain',
      default: 'auto',
    },
    layer: {
      type: 'string',
      help: "gradcam, gradcam++, layercam: the layer weighed (default: the deepest ReLU with cells of at most 8 input voxels, 4 for layercam, and a grid of at least 4 per axis, e.g. features.transition2.relu / features.transition1.relu at 64^3; class_layers.relu = MONAI's)",
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
    ...SANITY_OPTIONS,
    ...BACKEND_OPTIONS,
    json: {
      type: 'boolean',
      help: 'print the report (probabilities, map statistics, peak voxel and world mm, timing) as JSON on stdout',
    },
  },
  async run(args) {
    const settings = readSettings(args);
    const target = explainTarget(args.positionals[0]!, stringOption(args, 'study'), settings.out);
    try {
      return await explainWith(args, settings, target);
    } finally {
      target.study?.close();
    }
  },
};

/** The options of one run, checked before any file is read. */
function readSettings(args: ParsedArgs) {
  const method = choice(args, 'method', METHODS, 'occlusion');
  if (method === 'occlusion' && stringOption(args, 'layer') !== undefined)
    throw new VoxlabError(
      'BAD_ARGUMENT',
      '--layer is for --method gradcam, gradcam++ or layercam (occlusion has no layer)',
    );
  return {
    out: stringOption(args, 'out'),
    method,
    preprocess: choice(args, 'preprocess', PREPROCESS_MODES as readonly PreprocessMode[], 'seed'),
    view: choice(args, 'view', ['importance', 'probability'] as const, 'importance'),
    engine: choice(args, 'engine', ['auto', 'incremental', 'plain'] as const, 'auto'),
    layer: stringOption(args, 'layer'),
    sanity: sanityKindOf(args),
    occlusion: {
      ...optional('maskSize', numberOption(args, 'mask-size', { integer: true, min: 1 })),
      ...optional('overlap', numberOption(args, 'overlap', { min: 0 })),
      ...optional('nBatch', numberOption(args, 'n-batch', { integer: true, min: 1 })),
      ...optional('mode', parseMode(stringOption(args, 'mode'))),
      ...optional('bBox', parseBox(stringOption(args, 'slice'), stringOption(args, 'b-box'))),
      activation: choice(args, 'activation', ACTIVATIONS, 'softmax'),
    } satisfies OcclusionParams,
  };
}
type Settings = ReturnType<typeof readSettings>;

/** `{ [key]: value }`, or nothing when value is undefined (for optional fields under exactOptionalPropertyTypes). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

async function explainWith(args: ParsedArgs, s: Settings, target: ExplainTarget): Promise<number> {
  const started = performance.now();
  const scan = await readNifti(target.file);
  const model = await modelFromArgs(args);
  checkSanityPossible(s.sanity, model, target.study);
  // Checked before the ONNX session opens: an ONNX graph Grad-CAM cannot rebuild is refused in words.
  const network = s.method === 'occlusion' ? null : gradCamNetwork(model, s.method);
  if (network !== null) process.stderr.write(`${s.method}: tfjs model from ${network.reason}\n`);
  const provider = stringOption(args, 'provider') ?? 'auto';
  const classifier = await openModelClassifier(model, { provider });
  try {
    const classIndex = classIndexOf(stringOption(args, 'class'), classifier.classes);
    const bar = new ProgressBar({ label: s.method });
    const picked =
      s.method === 'occlusion' ? chooseOcclusionEngine(model, s.engine, { provider }) : undefined;
    const engine = picked?.engine;
    if (picked !== undefined) {
      const cost = occlusionCost(classifier.inputShape.slice(1), s.occlusion);
      process.stderr.write(
        `occlusion: ${cost.windows} windows (forward passes) in ${cost.batches} batches, ${picked.name} engine (${picked.reason}), ${classifier.engine}\n`,
      );
    }
    const occlusion: OcclusionOptions = {
      ...s.occlusion,
      ...(engine !== undefined ? { engine } : {}),
      onProgress: (p) => bar.update(p.done, p.total),
    };
    // tfjs runs Grad-CAM, and with --sanity also the randomized networks (Grad-CAM) and training (data).
    const backend = network !== null || s.sanity !== null ? await startBackend(args) : undefined;
    const tfModel = network === null ? undefined : tfModelFromState(network.description, network.state);
    try {
      const { report, image, inputMap } = await withCancel((signal) =>
        explainScan(scan, {
          method: s.method,
          classifier,
          preprocess: s.preprocess,
          view: s.view,
          ...(s.out !== undefined ? { out: s.out } : {}),
          ...(tfModel !== undefined ? { model: tfModel } : {}),
          ...(classIndex !== undefined ? { classIndex } : {}),
          ...(s.layer !== undefined ? { layer: s.layer } : {}),
          ...(s.method === 'occlusion' ? { occlusion: { ...occlusion, signal } } : {}),
        }),
      );
      bar.finish();
      const sanity =
        s.sanity === null
          ? null
          : await withCancel((signal) =>
              runCliSanity(args, {
                kind: s.sanity!,
                model,
                scan,
                report,
                inputMap: inputMap.data,
                settings: {
                  preprocess: s.preprocess,
                  view: s.view,
                  engine: s.engine,
                  provider,
                  occlusion: s.occlusion,
                  signal,
                  ...(s.layer !== undefined ? { layer: s.layer } : {}),
                },
                study: target.study,
                backend: backend!,
                out: s.out,
              }),
            );
      const asRun =
        s.method === 'occlusion'
          ? occlusionParamsAsRun({
              ...s.occlusion,
              view: s.view,
              preprocess: s.preprocess,
              engine: picked?.name ?? 'plain',
            })
          : gradCamParamsAsRun({ preprocess: s.preprocess, report });
      const params = sanity === null ? asRun : { ...(asRun as object), sanity: sanity as unknown as Json };
      const stored =
        target.image === null
          ? null
          : await storeCliMap(target, {
              modelId: model.id,
              report,
              image,
              params,
              durationMs: performance.now() - started,
            });
      printReport(args, { file: target.file, model, report, stored, out: s.out, sanity });
      return 0;
    } finally {
      tfModel?.dispose();
    }
  } finally {
    await classifier.dispose();
  }
}
