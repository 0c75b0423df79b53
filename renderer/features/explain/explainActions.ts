// Inference and explanation runs through the core as jobs: progress from job events, cancel; a finished map
// is stored in the study by the core, so the open scan's map list is read again and the new map shown.

import { METHOD_LABELS } from './mapParams.js';
import { scanOnScreen } from '../../app/scanOnScreen.js';
import type { ExplainResult, InferResult, JobInfo, Json } from '../../../core/api/index.js';
import { ioOrientation } from '../../../core/common/orientation.js';
import { toAffine } from '../../../core/common/spaces.js';
import { core } from '../../api/core.js';
import { describeError } from '../../api/describeError.js';
import { useExplainStore } from '../../stores/useExplainStore.js';
import { useStudyStore } from '../../stores/useStudyStore.js';
import { volumeViewport } from '../../viewer/cornerstone.js';
import { worldToFileIndex, type WorldLps } from '../../viewer/geometry.js';
import { loadedVolume, scanVolumeId } from '../../viewer/volumes.js';
import { toInputIndex } from './occlusionEstimate.js';

/** The wait for the job in progress; stopped by waitAgainAfterReconnect so that the job is asked for again. */
let waiting: AbortController | null = null;

/**
 * Waits for `jobId` to end. Job events sent while the connection was down are lost, so after a reconnect
 * (waitAgainAfterReconnect) the wait starts again, which asks the core for the job once more: a job that
 * ended meanwhile gives its result, and a core that restarted answers NOT_FOUND (its jobs died with it).
 */
async function waitForJob(jobId: string): Promise<JobInfo> {
  for (;;) {
    const stop = (waiting = new AbortController());
    try {
      return await core().waitForJob(jobId, { signal: stop.signal });
    } catch (e) {
      if (!stop.signal.aborted) throw e;
    } finally {
      if (waiting === stop) waiting = null;
    }
  }
}

/** After a reconnect: the running inference or explanation is asked for again (see waitForJob). */
export function waitAgainAfterReconnect(): void {
  waiting?.abort();
}

async function runJob(start: () => Promise<JobInfo>, what: string): Promise<JobInfo | null> {
  const store = useExplainStore.getState();
  store.setProblem(null);
  let job: JobInfo;
  try {
    job = await start();
  } catch (e) {
    store.setProblem(describeError(e));
    return null;
  }
  store.setJob({ id: job.id, what, fraction: job.progress.fraction, message: job.progress.message });
  const unsubscribe = core().events.subscribe((e) => {
    if (e.type === 'job' && e.job.id === job.id && e.job.state === 'running')
      useExplainStore.getState().setJob({ id: job.id, what, fraction: e.job.progress.fraction, message: e.job.progress.message });
  });
  try {
    const done = await waitForJob(job.id);
    if (done.state === 'failed') useExplainStore.getState().setProblem(`${what} failed: ${describeError(done.error)}`);
    if (done.state === 'cancelled') useExplainStore.getState().setProblem(`${what} cancelled.`);
    return done.state === 'done' ? done : null;
  } catch (e) {
    useExplainStore
      .getState()
      .setProblem(
        (e as { code?: string }).code === 'NOT_FOUND'
          ? `${what} stopped: the server restarted while it ran, so it did not finish. Run it again.`
          : describeError(e),
      );
    return null;
  } finally {
    unsubscribe();
    useExplainStore.getState().setJob(null);
  }
}

/** Issue #10: nothing is inferred or explained for a scan whose pixels are not on screen. */
function onScreenOrSay(imageId: string): boolean {
  if (scanOnScreen() === imageId) return true;
  useExplainStore.getState().setProblem(`${imageId} is not on screen yet: open it (and wait until it shows) before running the model on it.`);
  return false;
}

export async function runInference(modelId: string, imageId: string): Promise<void> {
  if (!onScreenOrSay(imageId)) return;
  const done = await runJob(() => core().infer.run({ modelId, imageId }), 'Inference');
  if (done === null) return;
  const r = done.result as unknown as InferResult;
  useExplainStore.getState().setProbabilities({ imageId, modelId, classes: r.classes, values: r.probabilities });
}

export interface OcclusionSettings {
  readonly maskSize: number;
  readonly overlap: number;
  readonly oneSlice: boolean;
  readonly inputSize: number;
  /** MONAI's mode: 'gaussian', 'mean_img', 'mean_patch' or a value. */
  readonly mode?: string | number;
  /** 'softmax' over classes, or 'monai' (MONAI's sigmoid per class for one-channel input). */
  readonly activation?: 'softmax' | 'monai';
}

/** The model-input slice [axis, index] under the axial view's focal point (the file axis running S-I). */
export function currentAxialSlice(imageId: string, inputSize: number): [number, number] | null {
  const volume = loadedVolume(scanVolumeId(imageId));
  const vp = volumeViewport('axial');
  if (volume === null || vp === null) return null;
  const focal = vp.getCamera().focalPoint as unknown as WorldLps;
  const ijk = worldToFileIndex(volume.fileAffineInverse, focal);
  const axis = ioOrientation(toAffine(volume.meta.affine)).findIndex(([a]) => a === 2);
  if (axis < 0) return null;
  return [axis, toInputIndex(Math.round(ijk[axis]!), volume.meta.shape[axis]!, inputSize)];
}

export async function runExplanation(
  modelId: string,
  imageId: string,
  method: 'occlusion' | 'gradcam' | 'gradcam++' | 'layercam',
  /** The class to explain; undefined = the class the model predicts (the core decides). */
  classIndex: number | undefined,
  occlusion: OcclusionSettings,
  /**
   * Also run the saliency sanity checks with the same method, stored with the map: 'cascade' randomizes the
   * layers; 'all' also retrains the model's recipe on shuffled labels (minutes; training runs only).
   */
  sanity?: 'cascade' | 'all',
): Promise<void> {
  if (!onScreenOrSay(imageId)) return;
  let params: Json | undefined;
  if (method === 'occlusion') {
    const slice = occlusion.oneSlice ? currentAxialSlice(imageId, occlusion.inputSize) : null;
    params = {
      maskSize: occlusion.maskSize,
      overlap: occlusion.overlap,
      ...(occlusion.mode !== undefined ? { mode: occlusion.mode } : {}),
      ...(occlusion.activation !== undefined ? { activation: occlusion.activation } : {}),
      ...(slice !== null ? { slice } : {}),
    };
  }
  const label = METHOD_LABELS[method];
  const done = await runJob(
    () =>
      core().explain.run({
        modelId,
        imageId,
        method,
        source: 'app',
        ...(sanity !== undefined ? { sanity } : {}),
        ...(classIndex !== undefined ? { classIndex } : {}),
        ...(params !== undefined ? { params } : {}),
      }),
    label,
  );
  if (done === null) return;
  const r = done.result as unknown as ExplainResult;
  await refreshMaps(imageId);
  if (!(r.max > r.min)) {
    useExplainStore
      .getState()
      .setProblem(`The ${label} map is flat (every value ${r.min}): the model's output does not change over this scan, so there is nothing to overlay. Try another class or a trained model.`);
    return;
  }
  if (useExplainStore.getState().mapsImageId === imageId) useExplainStore.getState().show(r.mapId);
}

/** Reads the stored maps of `imageId` (explain.list) into the store, unless another image opened meanwhile. */
export async function refreshMaps(imageId: string): Promise<void> {
  try {
    const maps = await core().explain.list({ imageId });
    if (useStudyStore.getState().selectedId === imageId) useExplainStore.getState().setMaps(imageId, maps);
  } catch (e) {
    useExplainStore.getState().setProblem(`Could not list the maps of ${imageId}: ${describeError(e)}`);
  }
}

export async function cancelJob(): Promise<void> {
  const job = useExplainStore.getState().job;
  if (job === null) return;
  try {
    await core().jobs.cancel({ jobId: job.id });
  } catch (e) {
    useExplainStore.getState().setProblem(describeError(e));
  }
}
