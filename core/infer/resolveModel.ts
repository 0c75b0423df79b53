// What `--model M` means, for the CLI and the server: a training run of a study (its best epoch, else its
// last), a MONAI DenseNet safetensors file or PyTorch checkpoint (.pt/.pth, read without running it), or an
// ONNX file. Every kind comes back as ONNX bytes plus class
// names, and, when the network is ours, its description and weights (for explanations that export pieces).

import { existsSync, promises as fsp, statSync } from 'node:fs';
import path from 'node:path';
import { VoxlabError } from '../common/errors.js';
import {
  describeDenseNet,
  parseSafetensors,
  type DenseNetConfig,
  type ModelDescription,
  type SafetensorsFile,
} from '../model/index.js';
import { readPytorchCheckpoint } from '../io/pytorch/readPytorch.js';
import { readCheckpoint, readManifest, runFolder, type RunManifest } from '../train/checkpoint.js';
import { MODEL_PRESETS, type ModelPreset } from '../train/config.js';
import { denseNetConfigFromWeights } from './denseNetFromWeights.js';
import { classesFromMetadata, exportOnnx } from './exportOnnx.js';
import { readOnnxSummary } from './onnx/readOnnx.js';
import { stateDictFromSafetensors, type StateDict } from './stateDict.js';

/** The IXI tutorial's input edge, used when nothing says otherwise. */
export const DEFAULT_INFER_SIZE = 96;

export interface ResolveModelOptions {
  /** The study folder whose models/<id>/ holds training runs (for a model id). */
  readonly studyDir?: string;
  /** Architecture of a bare safetensors or .pt file: densenet121, small or tiny (default: read off the weights). */
  readonly arch?: string;
  /** Input edge in voxels (cubic) for safetensors files without run.json, or ONNX models with symbolic sizes. */
  readonly inputSize?: number;
}

export interface ResolvedModel {
  readonly kind: 'run' | 'safetensors' | 'pytorch' | 'onnx';
  /** The id predictions are stored under: the run id, else the file's name. */
  readonly id: string;
  /** Absolute path of the run folder or file. */
  readonly source: string;
  /** For runs: the weights file used (best epoch, else last). */
  readonly weights: string | null;
  /** Class names, index = output channel. */
  readonly classes: readonly string[];
  /** [depth, height, width] of the network input, or null for an ONNX model that leaves it open. */
  readonly inputSize: readonly [number, number, number] | null;
  /** The model as .onnx bytes (exported from the weights for runs, safetensors and .pt files). */
  readonly onnx: Uint8Array;
  /** Our description and weights (runs, safetensors and .pt files); null for imported ONNX models. */
  readonly network: {
    readonly description: ModelDescription<DenseNetConfig>;
    readonly state: StateDict;
  } | null;
}

/**
 * Resolves `spec`: a run id of `options.studyDir` (or a run folder's path), a .safetensors file, a PyTorch
 * checkpoint (.pt/.pth: a MONAI DenseNet state_dict, bare or wrapped; see readPytorchCheckpoint) or a .onnx
 * file. Throws NOT_FOUND (no such run or file; a run without a saved epoch), BAD_ARGUMENT (unknown arch),
 * WEIGHTS_INVALID / WEIGHTS_MISMATCH (weights that are not a DenseNet or do not fit the arch; a checkpoint
 * that asks to run code), MODEL_INVALID.
 */
export async function resolveModel(spec: string, options: ResolveModelOptions = {}): Promise<ResolvedModel> {
  if (spec.trim() === '') throw new VoxlabError('BAD_ARGUMENT', 'resolveModel: the model is an empty string');
  if (options.arch !== undefined && !Object.hasOwn(MODEL_PRESETS, options.arch))
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `The architecture must be one of ${Object.keys(MODEL_PRESETS).join(', ')}, got '${options.arch}'`,
    );
  if (options.inputSize !== undefined && !(Number.isInteger(options.inputSize) && options.inputSize >= 1))
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `The input size must be a whole number >= 1, got ${options.inputSize}`,
    );
  const runDir =
    options.studyDir !== undefined && isSimpleId(spec)
      ? runFolder(path.resolve(options.studyDir), spec)
      : null;
  if (runDir !== null && existsSync(path.join(runDir, 'run.json'))) return resolveRun(runDir);
  const file = path.resolve(spec);
  if (existsSync(path.join(file, 'run.json'))) return resolveRun(file);
  if (!existsSync(file) || !statSync(file).isFile()) {
    const where =
      options.studyDir !== undefined
        ? `no training run ${spec} in ${path.resolve(options.studyDir)} and no file ${file}`
        : `no file ${file}`;
    throw new VoxlabError('NOT_FOUND', `Cannot find the model: ${where}`, { model: spec });
  }
  const lower = file.toLowerCase();
  if (lower.endsWith('.onnx')) return resolveOnnx(file, options);
  if (lower.endsWith('.safetensors') || isPytorchFile(lower)) return resolveWeightsFile(file, options);
  throw new VoxlabError('BAD_ARGUMENT', `${file}: a model file must end in .onnx, .safetensors, .pt or .pth`, {
    model: spec,
  });
}

/** A training run: run.json says the network, classes and input size; checkpoint.json the epoch. */
async function resolveRun(dir: string): Promise<ResolvedModel> {
  const manifest = await readManifest(dir);
  const state = await readCheckpoint(dir);
  if (state === null)
    throw new VoxlabError('NOT_FOUND', `Training run ${manifest.runId} has no saved epoch yet`, {
      runId: manifest.runId,
    });
  const weights = path.join(dir, (state.best ?? state.last).weights);
  const s = manifest.config.inputSize;
  const built = await fromWeights(weights, manifest.network, [s, s, s], manifest.classes);
  return { kind: 'run', id: manifest.runId, source: dir, weights, ...built };
}

/** A safetensors or .pt file: run.json beside it, else --arch (or the weights' own shapes), --input-size or 96. */
async function resolveWeightsFile(file: string, options: ResolveModelOptions): Promise<ResolvedModel> {
  const manifest = await manifestBeside(file);
  const parsed = await readWeights(file);
  const found = named(file, () => denseNetConfigFromWeights(parsed));
  let network: DenseNetConfig;
  if (options.arch !== undefined) {
    network = {
      ...found,
      ...MODEL_PRESETS[options.arch as ModelPreset],
      dropoutProb: 0,
      inChannels: found.inChannels,
      outChannels: found.outChannels,
    };
  } else network = manifest?.network ?? found;
  const s = options.inputSize ?? manifest?.config.inputSize ?? DEFAULT_INFER_SIZE;
  const classes = manifest?.classes ?? defaultClasses(network.outChannels);
  const built = await fromWeights(file, network, [s, s, s], classes, parsed);
  const kind = isPytorchFile(file.toLowerCase()) ? 'pytorch' : 'safetensors';
  return { kind, id: path.basename(file), source: file, weights: file, ...built };
}

async function resolveOnnx(file: string, options: ResolveModelOptions): Promise<ResolvedModel> {
  const onnx = await readBytes(file);
  const summary = readOnnxSummary(onnx);
  const input = summary.inputs[0]?.shape;
  const output = summary.outputs[0]?.shape;
  const spatial = input?.length === 5 ? input.slice(2) : null;
  const fixed = spatial?.every((d) => typeof d === 'number' && d > 0) ? (spatial as number[]) : null;
  const inputSize =
    fixed ??
    (options.inputSize !== undefined ? [options.inputSize, options.inputSize, options.inputSize] : null);
  const k = output?.length === 2 && typeof output[1] === 'number' ? output[1] : null;
  const classes = classesFromMetadata(summary.metadata) ?? (k !== null ? defaultClasses(k) : []);
  return {
    kind: 'onnx',
    id: path.basename(file),
    source: file,
    weights: null,
    classes,
    inputSize: inputSize === null ? null : [inputSize[0]!, inputSize[1]!, inputSize[2]!],
    onnx,
    network: null,
  };
}

async function fromWeights(
  file: string,
  network: DenseNetConfig,
  size: [number, number, number],
  classes: readonly string[],
  given?: SafetensorsFile,
): Promise<Pick<ResolvedModel, 'classes' | 'inputSize' | 'onnx' | 'network'>> {
  const parsed = given ?? (await readWeights(file));
  if (classes.length !== network.outChannels)
    throw new VoxlabError(
      'WEIGHTS_MISMATCH',
      `${file}: ${classes.length} classes (${classes.join(', ')}) for a network with ${network.outChannels} outputs`,
    );
  const description = describeDenseNet(network, size);
  const state = named(file, () => stateDictFromSafetensors(parsed, description));
  return {
    classes,
    inputSize: size,
    onnx: exportOnnx(description, state, { classes }),
    network: { description, state },
  };
}

/** run.json of the folder holding `file`, or null when there is none. */
async function manifestBeside(file: string): Promise<RunManifest | null> {
  const dir = path.dirname(file);
  return existsSync(path.join(dir, 'run.json')) ? readManifest(dir) : null;
}

/** A safetensors file, or a PyTorch checkpoint's state_dict in the same form (its messages name the file). */
async function readWeights(file: string): Promise<SafetensorsFile> {
  const bytes = await readBytes(file);
  if (isPytorchFile(file.toLowerCase())) return readPytorchCheckpoint(bytes, file);
  return named(file, () => parseSafetensors(bytes));
}

/** .pt and .pth: the names torch.save files go by. */
export function isPytorchFile(lowerCaseName: string): boolean {
  return lowerCaseName.endsWith('.pt') || lowerCaseName.endsWith('.pth');
}

/** Runs `fn`, prefixing the message of a VoxlabError it throws with the file's path. */
function named<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof VoxlabError)
      throw new VoxlabError(e.code, `${file}: ${e.message}`, e.details, { cause: e });
    throw e;
  }
}

async function readBytes(file: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await fsp.readFile(file));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'NOT_FOUND' : 'IO_ERROR';
    throw new VoxlabError(code, `Cannot read ${file}: ${(e as Error).message}`, { path: file }, { cause: e });
  }
}

function defaultClasses(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `class${i}`);
}

/** A run id, not a path: no separators. */
function isSimpleId(spec: string): boolean {
  return !spec.includes('/') && !spec.includes('\\') && spec !== '.' && spec !== '..';
}
