// The load campaign's end-of-run checks (issue #15, item 5): the server still answers, the training job ran
// all along and stops on train.stop, the event stream delivered every acknowledged write and recorded epoch,
// and `voxlab serve` exits cleanly with nothing unexpected on its stderr. Each miss becomes a failure.

import type { CoreApi, JobInfo } from '../../api/index.js';
import type { EventWatch } from './loadEvents.js';
import type { ServerProcess } from './loadServer.js';
import type { LoadTally } from './loadTally.js';
import type { MixTarget } from './loadTraffic.js';

/**
 * Matches acknowledged label writes with their label.changed events: the lags (ms from the answer to the
 * event, 0 when the event came first; ascending) and how many never came (each a failure). A write answered
 * 5xx whose event came anyway is a failure too: the client was told it failed, but it was saved.
 */
export function eventCheck(tally: LoadTally, watch: EventWatch): { lags: number[]; missing: number } {
  const lags: number[] = [];
  const missing: string[] = [];
  for (const [author, ackAt] of tally.ackedAt) {
    const at = watch.labelEventAt.get(author);
    if (at === undefined) missing.push(author);
    else lags.push(Math.max(0, at - ackAt));
  }
  if (missing.length > 0)
    tally.fail(
      `${missing.length} acknowledged writes never reached the event stream, e.g. ${missing.slice(0, 3).join(', ')}`,
    );
  const savedAnyway = tally.failedAuthors.filter((a) => watch.labelEventAt.has(a));
  if (savedAnyway.length > 0)
    tally.fail(
      `${savedAnyway.length} writes answered 5xx were saved all the same (their label.changed came): ${savedAnyway.slice(0, 3).join(', ')}`,
    );
  if (watch.endedEarly !== null) tally.fail(`event stream: ${watch.endedEarly}`);
  return { lags: lags.sort((x, y) => x - y), missing: missing.length };
}

/** SIGTERM; a failure unless it exits 0 and its stderr holds no unexpected error (dispatch's warnings). */
export async function stopServer(server: ServerProcess, tally: LoadTally): Promise<number | null | 'killed'> {
  const exit = await server.stop();
  if (exit !== 0) tally.fail(`voxlab serve exited with ${exit} after SIGTERM (expected 0)`);
  const lines = server.stderr().split('\n');
  for (const line of lines.filter((l) => /voxlab serve:|subscriber failed|Error/.test(l)))
    tally.fail(`server stderr: ${line.slice(0, 300)}`);
  return exit;
}

/**
 * After the load: the server still answers; the training job was running all along and stops on train.stop;
 * every recorded epoch came as a train.epoch event; a last write's event arrives (the stream drained).
 */
export async function teardown(
  api: CoreApi,
  server: ServerProcess,
  watch: EventWatch,
  tally: LoadTally,
  training: { readonly job: JobInfo; readonly runId: string } | null,
  target: MixTarget,
): Promise<{ epochs: number; epochsMissing: number; trainingState: string | null; drainMs: number | null }> {
  const alive = await api.server.info().then(
    () => null,
    (e: unknown) => (e as Error).message,
  );
  if (alive !== null || server.exitCode() !== undefined)
    tally.fail(`the server did not answer after the load: ${alive ?? `exited ${server.exitCode()}`}`);
  const trainingState = training === null ? null : await stopTraining(api, watch, tally, training.job);
  // Epochs recorded by the run (after its end: no more come), then a marker write: once its event arrived,
  // every event published before it did too (one ordered stream).
  const recorded =
    training === null ? [] : (await api.train.metrics({ modelId: training.runId })).map((m) => m.epoch);
  const marker = 'load-drain-marker';
  const first = target.images[0]!;
  await api.labels.set({ imageId: first.id, label: first.label, author: marker });
  const ackAt = performance.now();
  const arrived = await watch.waitFor(() => watch.labelEventAt.has(marker), 30_000);
  if (!arrived) tally.fail('the event stream did not deliver a write made after the load within 30 s');
  const seen =
    training === null ? new Set<number>() : (watch.epochs.get(training.job.id) ?? new Set<number>());
  const epochsMissing = recorded.filter((e) => !seen.has(e)).length;
  if (epochsMissing > 0)
    tally.fail(`${epochsMissing} of ${recorded.length} recorded epochs never came as train.epoch events`);
  return {
    epochs: recorded.length,
    epochsMissing,
    trainingState,
    drainMs: arrived ? Math.max(0, watch.labelEventAt.get(marker)! - ackAt) : null,
  };
}

/**
 * The job must still run after the load (it trains until stopped); once it has finished an epoch, train.stop
 * and its end, which must be 'cancelled'. Returns the end state.
 */
async function stopTraining(
  api: CoreApi,
  watch: EventWatch,
  tally: LoadTally,
  job: JobInfo,
): Promise<string> {
  const status = await api.train.status();
  const running = status.active?.id === job.id;
  if (!running)
    tally.fail(
      `training was not running at the end of the load: ${JSON.stringify(status.last?.error ?? status.last?.state)}`,
    );
  // A short load on a slow machine may end before the first epoch: wait for one, so that the epoch check has
  // something to check (the run keeps going meanwhile; bounded, not a speed requirement).
  const epochSeen = () => (watch.epochs.get(job.id)?.size ?? 0) > 0;
  if (running && !(await watch.waitFor(epochSeen, 120_000)))
    tally.fail('no train.epoch event within 120 s after the load');
  await api.train.stop();
  const end = await jobEnd(api, job.id, 60_000);
  if (end.state !== 'cancelled')
    tally.fail(`training job ended ${end.state} after train.stop: ${JSON.stringify(end.error)}`);
  return end.state;
}

/** Polls jobs.get until `jobId` leaves 'running' (or `timeoutMs` passed: the job as last seen). */
async function jobEnd(api: CoreApi, jobId: string, timeoutMs: number): Promise<JobInfo> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const job = await api.jobs.get({ jobId });
    if (job.state !== 'running' || performance.now() > until) return job;
    await new Promise((r) => setTimeout(r, 100));
  }
}
