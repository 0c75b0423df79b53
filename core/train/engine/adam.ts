// Adam with torch.optim.Adam's exact update (amsgrad off, maximize off), so a run here and a run in
// PyTorch follow the same formula: Kingma & Ba, "Adam: A Method for Stochastic Optimization", arXiv:1412.6980,
// with PyTorch's placement of eps (after the bias-corrected square root) and L2-style weight_decay.

import * as tf from '@tensorflow/tfjs-core';
import { VoxlabError } from '../../common/errors.js';

/** torch.optim.Adam's hyperparameters, camelCased. */
export interface AdamOptions {
  /** Learning rate; default 1e-5, the MONAI IXI tutorial's value (its notebook uses 1e-4). */
  readonly lr?: number;
  /** (beta1, beta2): decay of the first and second moment estimates; default (0.9, 0.999). */
  readonly betas?: readonly [number, number];
  /** Added to the bias-corrected sqrt(v) before dividing; default 1e-8. */
  readonly eps?: number;
  /** L2 penalty added to the gradient (g + weightDecay * p, torch's Adam, not AdamW); default 0. */
  readonly weightDecay?: number;
}

/** The optimizer's state as plain data (for checkpoints): step count and both moments per parameter key. */
export interface AdamState {
  readonly step: number;
  /** First moment (exp_avg) per parameter key, in the variable's tfjs layout, C order. */
  readonly m: Readonly<Record<string, Float32Array>>;
  /** Second moment (exp_avg_sq) per parameter key, same layout. */
  readonly v: Readonly<Record<string, Float32Array>>;
}

/**
 * Adam over named tf.Variables. Each step(grads), with t = steps so far + 1 and g = grad (+ wd p):
 *   m = m + (1 - b1)(g - m)            (torch: exp_avg.lerp_(g, 1 - b1))
 *   v = b2 v + (1 - b2) g^2
 *   p = p - lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * Moments are zero-initialised on the first step, as in PyTorch. Dispose to free them.
 */
export class Adam {
  /** Current learning rate; may be changed between steps (a scheduler). */
  lr: number;
  readonly betas: readonly [number, number];
  readonly eps: number;
  readonly weightDecay: number;
  private readonly params: ReadonlyMap<string, tf.Variable>;
  private readonly moments = new Map<string, { m: tf.Variable; v: tf.Variable }>();
  private steps = 0;

  constructor(params: Iterable<readonly [string, tf.Variable]>, options: AdamOptions = {}) {
    this.params = new Map(params);
    this.lr = options.lr ?? 1e-5;
    this.betas = options.betas ?? [0.9, 0.999];
    this.eps = options.eps ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0;
    const [b1, b2] = this.betas;
    const bad = (what: string, value: unknown) =>
      new VoxlabError('BAD_ARGUMENT', `Adam: ${what}, got ${String(value)}`);
    if (!(this.lr >= 0)) throw bad('lr must be >= 0', this.lr);
    if (!(b1 >= 0 && b1 < 1 && b2 >= 0 && b2 < 1)) throw bad('betas must be in [0, 1)', this.betas);
    if (!(this.eps >= 0)) throw bad('eps must be >= 0', this.eps);
    if (!(this.weightDecay >= 0)) throw bad('weightDecay must be >= 0', this.weightDecay);
    if (this.params.size === 0) throw bad('needs at least one parameter', 0);
  }

  /** Number of steps taken (torch's state['step']). */
  get stepCount(): number {
    return this.steps;
  }

  /**
   * One update of every parameter from `grads` (key -> d(loss)/d(param), the parameter's shape). Every
   * parameter must have a gradient; throws BAD_ARGUMENT / SHAPE_MISMATCH otherwise. Does not dispose grads.
   */
  step(grads: ReadonlyMap<string, tf.Tensor>): void {
    this.checkGrads(grads);
    const t = this.steps + 1;
    const [b1, b2] = this.betas;
    const stepSize = this.lr / (1 - b1 ** t);
    const bias2Sqrt = Math.sqrt(1 - b2 ** t);
    for (const [key, p] of this.params) {
      const { m, v } = this.momentsOf(key, p);
      tf.tidy(() => {
        let g = grads.get(key)!;
        if (this.weightDecay !== 0) g = tf.add(g, tf.mul(p, this.weightDecay));
        m.assign(tf.add(m, tf.mul(tf.sub(g, m), 1 - b1)));
        v.assign(tf.add(tf.mul(v, b2), tf.mul(tf.mul(g, g), 1 - b2)));
        const denom = tf.add(tf.div(tf.sqrt(v), bias2Sqrt), this.eps);
        p.assign(tf.sub(p, tf.mul(tf.div(m, denom), stepSize)));
      });
    }
    this.steps = t;
  }

  /**
   * Reads the moments back to the CPU, so that state() (a synchronous read) works afterwards on tfjs's
   * webgpu backend, which cannot read synchronously in Node (see TfModel.download).
   */
  async download(): Promise<void> {
    await Promise.all([...this.moments.values()].flatMap(({ m, v }) => [m.data(), v.data()]));
  }

  /** A copy of the state as plain arrays (moments are empty before the first step); on webgpu, download() first. */
  state(): AdamState {
    const m: Record<string, Float32Array> = {};
    const v: Record<string, Float32Array> = {};
    for (const [key, moments] of this.moments) {
      m[key] = Float32Array.from(moments.m.dataSync());
      v[key] = Float32Array.from(moments.v.dataSync());
    }
    return { step: this.steps, m, v };
  }

  /** Restores a state() (for resume). Throws BAD_ARGUMENT for unknown keys or wrong sizes. */
  loadState(state: AdamState): void {
    if (!Number.isSafeInteger(state.step) || state.step < 0)
      throw new VoxlabError(
        'BAD_ARGUMENT',
        `Adam.loadState: step must be an integer >= 0, got ${state.step}`,
      );
    const keys = Object.keys(state.m);
    const expected = state.step === 0 ? [] : [...this.params.keys()];
    const sameKeys = (a: string[]) => a.length === expected.length && a.every((k) => this.params.has(k));
    if (!sameKeys(keys) || !sameKeys(Object.keys(state.v)))
      throw new VoxlabError(
        'BAD_ARGUMENT',
        `Adam.loadState: moments must cover exactly the ${expected.length} parameters`,
      );
    for (const key of keys) {
      const p = this.params.get(key)!;
      const m = state.m[key]!;
      const v = state.v[key]!;
      if (m.length !== p.size || v.length !== p.size)
        throw new VoxlabError(
          'BAD_ARGUMENT',
          `Adam.loadState: ${key} has ${p.size} values, state ${m.length}/${v.length}`,
        );
    }
    this.disposeMoments();
    for (const key of keys) {
      const p = this.params.get(key)!;
      this.moments.set(key, {
        m: newMoment(tf.tensor(state.m[key]!, p.shape, 'float32')),
        v: newMoment(tf.tensor(state.v[key]!, p.shape, 'float32')),
      });
    }
    this.steps = state.step;
  }

  /** Frees the moment estimates (the parameters belong to the model). */
  dispose(): void {
    this.disposeMoments();
  }

  private momentsOf(key: string, p: tf.Variable): { m: tf.Variable; v: tf.Variable } {
    let moments = this.moments.get(key);
    if (moments === undefined) {
      moments = { m: newMoment(tf.zerosLike(p)), v: newMoment(tf.zerosLike(p)) };
      this.moments.set(key, moments);
    }
    return moments;
  }

  private checkGrads(grads: ReadonlyMap<string, tf.Tensor>): void {
    for (const [key, p] of this.params) {
      const g = grads.get(key);
      if (g === undefined) throw new VoxlabError('BAD_ARGUMENT', `Adam.step: no gradient for ${key}`);
      if (g.shape.join() !== p.shape.join())
        throw new VoxlabError(
          'SHAPE_MISMATCH',
          `Adam.step: gradient of ${key} is [${g.shape}], parameter [${p.shape}]`,
        );
    }
    for (const key of grads.keys())
      if (!this.params.has(key))
        throw new VoxlabError('BAD_ARGUMENT', `Adam.step: ${key} is not a parameter`);
  }

  private disposeMoments(): void {
    for (const { m, v } of this.moments.values()) tf.dispose([m, v]);
    this.moments.clear();
  }
}

/** A non-trainable variable holding `initial`'s values; `initial` is disposed (the variable keeps the data). */
function newMoment(initial: tf.Tensor): tf.Variable {
  const moment = tf.variable(initial, false);
  initial.dispose();
  return moment;
}
