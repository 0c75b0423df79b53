// Training through the core: start (form -> config), stop, resume; progress and epochs arrive as events
// and land in the training store; the model list is refreshed when a run ends.

import type { ApiEvent, TrainEngine } from '../../../core/api/index.js';
import { core } from '../../api/core.js';
import { describeError } from '../../api/describeError.js';
import { configFromForm, epochRow, useTrainStore } from '../../stores/useTrainStore.js';
import { proposeRunId, runIdProblem } from './runId.js';

export async function refreshModels(): Promise<void> {
  try {
    useTrainStore.getState().setModels(await core().models.list());
  } catch (e) {
    useTrainStore.getState().setProblem(describeError(e));
  }
}

/** Routes training events of the current job into the store. */
export function onTrainEvent(e: ApiEvent): void {
  const store = useTrainStore.getState();
  if (e.type === 'job' && e.job.kind === 'train') {
    if (store.jobId === null && e.job.state === 'running') store.started(e.job.id, null);
    if (e.job.id !== useTrainStore.getState().jobId) return;
    if (e.job.state === 'running') return;
    const why = e.job.state === 'failed' ? describeError(e.job.error) : e.job.state === 'cancelled' ? 'stopped' : 'finished';
    store.finished(e.job.state, why);
    void refreshModels();
    return;
  }
  if (e.type === 'train.progress' && e.jobId === store.jobId) {
    store.setProgress(e.progress);
    store.finished('running', `epoch ${e.progress.epoch}/${e.progress.epochs} · ${e.progress.phase} step ${e.progress.step}/${e.progress.stepsPerEpoch}`);
  }
  if (e.type === 'train.epoch' && e.jobId === store.jobId) {
    if (store.runId === null) useTrainStore.setState({ runId: e.modelId });
    store.addEpoch(epochRow(e.epoch, e.metrics));
  }
}

/**
 * Starts a run under the form's run id (refused in words when it is not a valid, unused id), then proposes a
 * fresh id for the next start, so a finished run's id is never used again. `engine` 'monai': the core exports
 * the study as a MONAI bundle and trains it with its Python (offered only where train.engines finds one).
 */
export async function startTraining(engine: TrainEngine = 'voxlab'): Promise<void> {
  const { form, models, setProblem, setForm, started } = useTrainStore.getState();
  setProblem(null);
  const runId = form.runId.trim();
  const taken = models.map((m) => m.id);
  const problem = runIdProblem(runId, taken);
  if (problem !== null) {
    setProblem(problem);
    return;
  }
  try {
    const job = await core().train.start({ config: configFromForm(form), runId, ...(engine === 'monai' ? { engine } : {}) });
    const subject = job.subject as { runId?: unknown } | null;
    const id = typeof subject?.runId === 'string' ? subject.runId : runId;
    started(job.id, id);
    setForm({ runId: proposeRunId(new Date(), [...taken, id]) });
  } catch (e) {
    setProblem(describeError(e));
  }
}

/**
 * After the core comes back (a server restart): a run this page shows as running that the core no longer
 * runs ended with the old core (its events will never come), so say so and list the models; a stopped
 * voxlab run is then offered for Resume.
 */
export async function checkRunAfterReconnect(): Promise<void> {
  const { state, jobId, finished } = useTrainStore.getState();
  if (state !== 'running') return;
  try {
    const status = await core().train.status();
    if (status.active !== null && status.active.id === jobId) return;
    finished(
      'failed',
      'the server restarted while this run was training, so the run stopped there; its saved epochs are kept (Resume continues a voxlab run)',
    );
    await refreshModels();
  } catch (e) {
    useTrainStore.getState().setProblem(describeError(e));
  }
}

export async function stopTraining(): Promise<void> {
  try {
    await core().train.stop();
  } catch (e) {
    useTrainStore.getState().setProblem(describeError(e));
  }
}

export async function resumeTraining(runId: string): Promise<void> {
  const store = useTrainStore.getState();
  store.setProblem(null);
  try {
    const previous = await core().train.metrics({ modelId: runId });
    const job = await core().train.resume({ runId });
    store.started(job.id, runId);
    useTrainStore.getState().setEpochs(previous.map((m) => epochRow(m.epoch, m.metrics)));
  } catch (e) {
    store.setProblem(describeError(e));
  }
}

/** Shows the recorded epochs of a finished run. */
export async function showRun(runId: string): Promise<void> {
  try {
    const metrics = await core().train.metrics({ modelId: runId });
    useTrainStore.setState({ runId, epochs: metrics.map((m) => epochRow(m.epoch, m.metrics)), lossTrace: [] });
  } catch (e) {
    useTrainStore.getState().setProblem(describeError(e));
  }
}
