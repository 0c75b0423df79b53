// Training handlers: start, resume, stop and status of runs as jobs (one at a time: training takes all
// cores), with per-step progress and per-epoch metrics as events. The run itself goes to a worker thread
// when the compiled worker exists (see trainJobs.ts), so the server keeps answering while it trains. The
// 'monai' engine (issue #14) exports the study as a MONAI bundle and runs it with the server's own Python
// (core/bundle/run.ts), reporting through the same job, progress and epoch events.

import path from 'node:path';
import type { Json, TrainEngines } from '../../api/index.js';
import { exportBundle } from '../../bundle/exportBundle.js';
import { findPython, type FindPythonOptions } from '../../bundle/python.js';
import { runBundle } from '../../bundle/run.js';
import { VoxlabError } from '../../common/errors.js';
import { resolveTrainConfig, resumeTraining, train, type TrainConfigInput } from '../../train/index.js';
import type { JobContext } from '../jobs.js';
import {
  trainSummary,
  workerAvailable,
  workerTrainRunner,
  type TrainRequest,
  type TrainRunner,
} from '../trainJobs.js';
import type { Handlers, ServiceContext } from './context.js';

type TrainingHandlers = Pick<
  Handlers,
  'train.start' | 'train.resume' | 'train.stop' | 'train.status' | 'train.metrics' | 'train.engines'
>;

/** JSON with NaN/Infinity as null (metrics may hold them). */
const toJson = (v: unknown): Json => JSON.parse(JSON.stringify(v)) as Json;

/** Trains in this thread (the .ts sources under test, or when no compiled worker exists). */
export function inProcessTrainRunner({ study, backend }: ServiceContext): TrainRunner {
  return async (request, hooks) => {
    const options = {
      signal: hooks.signal,
      backend: `tfjs-${(await backend()).backend}`,
      onProgress: hooks.onProgress,
      onEpoch: (record: { epoch: number }) => hooks.onEpoch(record.epoch, toJson(record)),
    };
    const result =
      request.mode === 'resume'
        ? await resumeTraining(study, request.runId, options)
        : await train(study, request.config as TrainConfigInput, { ...options, runId: request.runId });
    return trainSummary(result);
  };
}

/**
 * Trains with the 'monai' engine: exports the study (with the request's settings) into <study>/bundles/<runId>
 * and runs that bundle with the Python `python` finds (the server's VOXLAB_PYTHON, else python3; a request
 * never names a program). Resume is not offered: a stopped bundle run is started again.
 */
export function bundleTrainRunner({ study }: ServiceContext, python: FindPythonOptions = {}): TrainRunner {
  return async (request, hooks) => {
    if (request.mode !== 'start')
      throw new VoxlabError('BAD_ARGUMENT', `Run ${request.runId}: MONAI bundle runs cannot be resumed; start a new one`);
    const started = performance.now();
    const r = await runBundle(study, {
      runId: request.runId,
      bundleDir: path.join(study.dir, 'bundles', request.runId),
      exportBundle: (s, dir) => exportBundle(s, dir, { config: request.config as TrainConfigInput }),
      ...python,
      signal: hooks.signal,
      onProgress: hooks.onProgress,
      onEpoch: (record) => hooks.onEpoch(record.epoch, toJson(record)),
    });
    return {
      modelId: r.runId,
      classes: r.start?.classes ?? [],
      epochs: r.history.length,
      bestEpoch: (r.model.metrics as { bestEpoch?: number | null }).bestEpoch ?? null,
      backend: r.model.backend,
      seconds: (performance.now() - started) / 1000,
    };
  };
}

/** train.engines' answer from a Python probe. */
async function probeEngines(python: FindPythonOptions): Promise<TrainEngines> {
  const p = await findPython(python);
  return {
    monai: {
      available: p.found,
      python: p.executable,
      torch: p.torch,
      monai: p.monai,
      cudaDevices: p.cudaDevices,
      detail: p.detail,
    },
  };
}

/** A run id like the CLI's: train-YYYYMMDD-HHMMSS. */
const newRunId = () =>
  `train-${new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}`;

/**
 * The train.* handlers. `runner` trains with voxlab (default: the worker when compiled, else in-process);
 * `python` chooses the Python of the 'monai' engine (default: VOXLAB_PYTHON, else python3) and
 * `monaiRunner` replaces that engine (tests).
 */
export function trainingHandlers(
  context: ServiceContext,
  runner?: TrainRunner,
  options: { python?: FindPythonOptions; monaiRunner?: TrainRunner } = {},
): TrainingHandlers {
  const { study, jobs, events } = context;
  const voxlabRun = runner ?? (workerAvailable() ? workerTrainRunner(study.dir) : inProcessTrainRunner(context));
  const monaiRun = options.monaiRunner ?? bundleTrainRunner(context, options.python);
  const run: TrainRunner = (request, hooks) =>
    request.mode === 'start' && request.engine === 'monai' ? monaiRun(request, hooks) : voxlabRun(request, hooks);
  let engines: Promise<TrainEngines> | null = null;

  const refuseSecond = () => {
    const active = jobs.running('train')[0];
    if (active !== undefined)
      throw new VoxlabError(
        'ALREADY_EXISTS',
        `A training run is in progress (job ${active.id}): stop it first or wait`,
        { jobId: active.id, status: 429 }, // HTTP 429 like MONAI Label's busy trainer
      );
  };

  const startJob = (request: TrainRequest) =>
    jobs.start('train', { runId: request.runId, engine: request.mode === 'start' ? (request.engine ?? 'voxlab') : 'voxlab' }, async (ctx: JobContext) => {
      const result = await run(request, {
        signal: ctx.signal,
        onProgress: (p) => {
          const done = (p.epoch - 1 + p.step / p.stepsPerEpoch) / p.epochs;
          ctx.progress(
            Math.min(1, done),
            `epoch ${p.epoch}/${p.epochs}, ${p.phase} ${p.step}/${p.stepsPerEpoch}, loss ${p.loss.toFixed(4)}`,
          );
          events.publish({ type: 'train.progress', jobId: ctx.id, progress: p });
        },
        onEpoch: (epoch, record) =>
          events.publish({
            type: 'train.epoch',
            jobId: ctx.id,
            modelId: request.runId,
            epoch,
            metrics: record,
          }),
      });
      return { result: toJson(result) };
    });

  return {
    'train.start': async ({ config, runId, engine }) => {
      refuseSecond();
      resolveTrainConfig((config ?? {}) as TrainConfigInput); // TRAIN_CONFIG_INVALID now, not later in the job
      return startJob({ mode: 'start', config: config ?? {}, runId: runId ?? newRunId(), engine: engine ?? 'voxlab' });
    },
    'train.resume': async ({ runId }) => {
      refuseSecond();
      return startJob({ mode: 'resume', runId });
    },
    'train.stop': async () => {
      const active = jobs.running('train')[0];
      return active === undefined ? null : jobs.cancel(active.id);
    },
    'train.status': async () => ({
      active: jobs.running('train')[0] ?? null,
      last:
        jobs
          .list()
          .filter((j) => j.kind === 'train')
          .at(-1) ?? null,
      runs: study
        .listModels()
        .filter((m) => m.kind === 'classifier')
        .map((m) => m.id),
    }),
    'train.metrics': async ({ modelId }) => study.getRunMetrics(modelId),
    'train.engines': async ({ refresh }) => {
      if (engines === null || refresh === true) engines = probeEngines(options.python ?? {});
      return engines;
    },
  };
}
