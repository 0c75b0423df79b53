// A Classifier running an ONNX model in ONNX Runtime: MONAI's ONNX exports and ours. Checks on opening
// that the model is a volume classifier voxlab can feed (one float input [N, C, D, H, W], one output
// [N, classes]) and says in words what is wrong otherwise.

import { VoxlabError } from '../common/errors.js';
import type { Classifier } from './classifier.js';
import { classesFromMetadata } from './exportOnnx.js';
import { readOnnxSummary } from './onnx/readOnnx.js';
import { OrtSession, type OrtSessionOptions, type OrtValueInfo } from './ort/OrtSession.js';

export interface OpenClassifierOptions extends OrtSessionOptions {
  /** Class names (default: the model's voxlab.classes metadata, else class0..classN-1). */
  readonly classes?: readonly string[];
  /** [depth, height, width] for a model whose spatial input dims are symbolic (else the model's own). */
  readonly inputSize?: readonly number[];
  /** Most samples per ONNX Runtime run; bigger batches are split (default 16). */
  readonly maxBatch?: number;
}

/**
 * Opens .onnx bytes as a Classifier. Throws MODEL_INVALID when ONNX Runtime cannot load them or the model
 * is not one float input [N, C, D, H, W] (N may be symbolic) and one output [N, classes].
 */
export async function openOrtClassifier(
  model: Uint8Array,
  options: OpenClassifierOptions = {},
): Promise<OrtClassifier> {
  const session = await OrtSession.create(model, options);
  try {
    const inputShape = checkInput(session.inputs, options.inputSize);
    const outputs = checkOutput(session.outputs);
    const classes =
      options.classes ?? classesFromMetadata(readOnnxSummary(model).metadata) ?? defaultClasses(outputs);
    if (outputs !== null && classes.length !== outputs) {
      throw new VoxlabError(
        'MODEL_INVALID',
        `The model has ${outputs} outputs but ${classes.length} class names were given (${classes.join(', ')})`,
      );
    }
    return new OrtClassifier(session, inputShape, classes, options.maxBatch ?? 16);
  } catch (e) {
    await session.dispose();
    throw e;
  }
}

/** See openOrtClassifier. Owns its session: dispose() closes it. */
export class OrtClassifier implements Classifier {
  private disposed = false;

  constructor(
    private readonly session: OrtSession,
    readonly inputShape: readonly [number, number, number, number],
    readonly classes: readonly string[],
    private readonly maxBatch: number,
  ) {}

  get engine(): string {
    return this.session.engine;
  }

  /** The underlying session (its provider, fallback reason), for reports. */
  get ortSession(): OrtSession {
    return this.session;
  }

  async predict(batch: Float32Array, n: number): Promise<Float32Array> {
    if (this.disposed)
      throw new VoxlabError('BAD_ARGUMENT', 'OrtClassifier.predict: the classifier was disposed');
    const per = this.inputShape.reduce((a, b) => a * b, 1);
    if (!Number.isInteger(n) || n < 1 || batch.length !== n * per) {
      throw new VoxlabError(
        'BAD_VALUES',
        `OrtClassifier.predict: ${batch.length} values for ${n} samples of [${this.inputShape.join(', ')}] (${per} each)`,
      );
    }
    const k = this.classes.length;
    const logits = new Float32Array(n * k);
    const [input] = this.session.inputs;
    const [output] = this.session.outputs;
    for (let start = 0; start < n; start += this.maxBatch) {
      const m = Math.min(this.maxBatch, n - start);
      const data = batch.subarray(start * per, (start + m) * per);
      const result = await this.session.run({ [input!.name]: { data, dims: [m, ...this.inputShape] } });
      const out = result[output!.name]!;
      if (out.data.length !== m * k)
        throw new VoxlabError(
          'MODEL_INVALID',
          `The model gave ${out.data.length} outputs for ${m} samples of ${k} classes`,
        );
      logits.set(out.data, start * k);
    }
    return logits;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.session.dispose();
  }
}

/** [C, D, H, W] of the one float input; throws MODEL_INVALID in words. */
function checkInput(
  inputs: readonly OrtValueInfo[],
  inputSize?: readonly number[],
): [number, number, number, number] {
  if (inputs.length !== 1) {
    throw new VoxlabError(
      'MODEL_INVALID',
      `The model takes ${inputs.length} inputs (${inputs.map((i) => i.name).join(', ')}); a voxlab classifier takes one volume batch [N, C, D, H, W]`,
    );
  }
  const input = inputs[0]!;
  const shape = input.shape ?? [];
  if (input.type !== 'float32' || shape.length !== 5) {
    throw new VoxlabError(
      'MODEL_INVALID',
      `The model's input ${input.name} is ${input.type} [${shape.join(', ')}]; a voxlab classifier takes float32 [N, C, D, H, W] (a batch of 3D volumes)`,
    );
  }
  const dims = shape
    .slice(1)
    .map((d, i) => (typeof d === 'number' && d > 0 ? d : i > 0 ? inputSize?.[i - 1] : undefined));
  if (dims.some((d) => d === undefined || !Number.isInteger(d) || d < 1)) {
    throw new VoxlabError(
      'MODEL_INVALID',
      `The model's input ${input.name} [${shape.join(', ')}] does not fix the channels and size of a volume; give the input size (--input-size)`,
    );
  }
  return dims as [number, number, number, number];
}

/** The number of classes of the one output [N, classes] (null when symbolic); throws MODEL_INVALID. */
function checkOutput(outputs: readonly OrtValueInfo[]): number | null {
  const shape = outputs[0]?.shape ?? [];
  if (outputs.length !== 1 || outputs[0]!.type !== 'float32' || shape.length !== 2) {
    const what = outputs.map((o) => `${o.name} ${o.type} [${(o.shape ?? []).join(', ')}]`).join(', ');
    throw new VoxlabError(
      'MODEL_INVALID',
      `The model gives ${what}; a voxlab classifier gives one float32 output [N, classes] (logits)`,
    );
  }
  const k = shape[1];
  return typeof k === 'number' && k > 0 ? k : null;
}

function defaultClasses(outputs: number | null): string[] {
  if (outputs === null)
    throw new VoxlabError(
      'MODEL_INVALID',
      'The model does not fix its number of outputs; give the class names',
    );
  return Array.from({ length: outputs }, (_, i) => `class${i}`);
}

/** Opens a resolved model (see resolveModel) as a Classifier with its class names and input size. */
export function openModelClassifier(
  model: {
    readonly onnx: Uint8Array;
    readonly classes: readonly string[];
    readonly inputSize: readonly number[] | null;
  },
  options: Omit<OpenClassifierOptions, 'classes' | 'inputSize'> = {},
): Promise<OrtClassifier> {
  return openOrtClassifier(model.onnx, {
    ...options,
    ...(model.classes.length > 0 ? { classes: model.classes } : {}),
    ...(model.inputSize !== null ? { inputSize: model.inputSize } : {}),
  });
}
