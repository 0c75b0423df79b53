// Training handlers: start, resume, stop and status of runs as jobs (one at a time: training takes all
// cores), with per-step progress and per-epoch metrics as events. The run itself goes to a worker thread
// when the compiled worker exists (see trainJobs.ts), so the server keeps answering while it trains.

import type { Json } from '../../api/index.js';
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
  'train.start' | 'train.resume' | 'train.stop' | 'train.status' | 'train.metrics'
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

/** A run id like the CLI's: train-YYYYMMDD-HHMMSS. */
const newRunId = () =>
  `train-${new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}`;

export function trainingHandlers(context: ServiceContext, runner?: TrainRunner): TrainingHandlers {
  const { study, jobs, events } = context;
  const run = runner ?? (workerAvailable() ? workerTrainRunner(study.dir) : inProcessTrainRunner(context));

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
    jobs.start('train', { runId: request.runId }, async (ctx: JobContext) => {
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
    'train.start': async ({ config, runId }) => {
      refuseSecond();
      resolveTrainConfig((config ?? {}) as TrainConfigInput); // TRAIN_CONFIG_INVALID now, not later in the job
      return startJob({ mode: 'start', config: config ?? {}, runId: runId ?? newRunId() });
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
  };
}
