// An ONNX Runtime inference session on float32 tensors, with voxlab's defaults: all cores, full graph
// optimisation, the fastest execution provider present (CUDA, DirectML, CoreML) else CPU. Its owner
// closes it with dispose().

import os from 'node:os';
import type * as Ort from 'onnxruntime-node';
import { VoxlabError } from '../../common/errors.js';
import { ACCELERATED_PROVIDERS, listExecutionProviders, loadOrt } from './loadOrt.js';

/** A float32 tensor: C-order data and its dims (NCDHW for volumes). */
export interface FloatTensor {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}

/** What ONNX Runtime says about an input or output: element type and dims (numbers or symbolic names). */
export interface OrtValueInfo {
  readonly name: string;
  readonly type: string;
  readonly shape: readonly (number | string)[] | null;
}

export interface OrtSessionOptions {
  /**
   * 'auto' (default): the first accelerated provider present that starts, else CPU. 'cpu': CPU only.
   * Or a provider name ('cuda', 'dml', 'coreml', ...), falling back to CPU when it fails to start.
   */
  readonly provider?: string;
  /** Intra-op threads (default: every core, os.availableParallelism()). */
  readonly threads?: number;
}

/** An open session. Not reentrant: runs are queued one after another. */
export class OrtSession {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly session: Ort.InferenceSession,
    private readonly ort: typeof Ort,
    /** The execution provider the session was created with ('cpu', 'cuda', ...). */
    readonly provider: string,
    readonly threads: number,
    /** Why an asked-for provider was not used (null when it was). */
    readonly fallbackReason: string | null,
  ) {}

  /**
   * Loads `model` (.onnx bytes). Throws MODEL_INVALID when ONNX Runtime cannot load it (not ONNX, an
   * unknown operator, inconsistent shapes), with its first line of explanation.
   */
  static async create(model: Uint8Array, options: OrtSessionOptions = {}): Promise<OrtSession> {
    const ort = await loadOrt();
    const threads = options.threads ?? os.availableParallelism();
    const base: Ort.InferenceSession.SessionOptions = {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      logSeverityLevel: 3, // errors only: ORT warns about harmless things (unused initializers)
    };
    const wanted = options.provider ?? 'auto';
    const candidates = wanted === 'cpu' ? [] : await providerCandidates(wanted);
    const failures: string[] = [];
    for (const provider of candidates) {
      try {
        const session = await ort.InferenceSession.create(model, {
          ...base,
          executionProviders: [provider, 'cpu'],
        });
        return new OrtSession(session, ort, provider, threads, null);
      } catch (e) {
        failures.push(`${provider}: ${firstLine(e)}`);
      }
    }
    let session: Ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(model, { ...base, executionProviders: ['cpu'] });
    } catch (e) {
      throw new VoxlabError(
        'MODEL_INVALID',
        `ONNX Runtime cannot load the model: ${firstLine(e)}`,
        {},
        { cause: e },
      );
    }
    const reason =
      failures.length > 0
        ? failures.join('; ')
        : wanted !== 'auto' && wanted !== 'cpu'
          ? `${wanted} is not present`
          : null;
    return new OrtSession(session, ort, 'cpu', threads, reason);
  }

  get inputs(): OrtValueInfo[] {
    return this.session.inputMetadata.map(valueInfo);
  }

  get outputs(): OrtValueInfo[] {
    return this.session.outputMetadata.map(valueInfo);
  }

  /** 'onnxruntime-cpu (2 threads)' or 'onnxruntime-cuda'. */
  get engine(): string {
    return this.provider === 'cpu'
      ? `onnxruntime-cpu (${this.threads} threads)`
      : `onnxruntime-${this.provider}`;
  }

  /**
   * Runs the graph on `feeds` (by input name) and returns `fetch` outputs (default: all) as float32.
   * Throws SHAPE_MISMATCH when ONNX Runtime rejects the feeds, BAD_ARGUMENT after dispose().
   */
  run(
    feeds: Readonly<Record<string, FloatTensor>>,
    fetch?: readonly string[],
  ): Promise<Record<string, FloatTensor>> {
    const next = this.queue.then(() => this.runNow(feeds, fetch));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Releases the native session; later runs reject. Idempotent. */
  async dispose(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await this.session.release();
  }

  private async runNow(
    feeds: Readonly<Record<string, FloatTensor>>,
    fetch?: readonly string[],
  ): Promise<Record<string, FloatTensor>> {
    if (this.closed) throw new VoxlabError('BAD_ARGUMENT', 'OrtSession.run: the session was disposed');
    const tensors: Record<string, Ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds))
      tensors[name] = new this.ort.Tensor('float32', t.data, [...t.dims]);
    let results: Ort.InferenceSession.ReturnType;
    try {
      results =
        fetch === undefined ? await this.session.run(tensors) : await this.session.run(tensors, [...fetch]);
    } catch (e) {
      const dims = Object.entries(feeds)
        .map(([n, t]) => `${n} [${t.dims.join(', ')}]`)
        .join(', ');
      throw new VoxlabError(
        'SHAPE_MISMATCH',
        `ONNX Runtime rejected the input ${dims}: ${firstLine(e)}`,
        {},
        { cause: e },
      );
    }
    const out: Record<string, FloatTensor> = {};
    for (const [name, t] of Object.entries(results)) {
      if (t.type !== 'float32')
        throw new VoxlabError('MODEL_INVALID', `Output ${name} is ${t.type}, not float32`);
      out[name] = { data: (t.data as Float32Array).slice(), dims: t.dims.map(Number) };
      t.dispose();
    }
    return out;
  }
}

/** Providers to try for `wanted`: 'auto' = every accelerated provider present, else that one if present. */
async function providerCandidates(wanted: string): Promise<string[]> {
  const present = new Set((await listExecutionProviders()).filter((p) => p.present).map((p) => p.name));
  if (wanted === 'auto') return ACCELERATED_PROVIDERS.filter((p) => present.has(p));
  return present.has(wanted) ? [wanted] : [];
}

function valueInfo(m: Ort.InferenceSession.ValueMetadata): OrtValueInfo {
  if (!m.isTensor) return { name: m.name, type: 'non-tensor', shape: null };
  return { name: m.name, type: m.type, shape: m.shape.map((d) => (typeof d === 'number' ? d : String(d))) };
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 300);
}
