// Inference and explanation runs through the core as jobs: progress from job events, cancel, and the map
// added to the open scan's overlays when it is done.

import type { ExplainResult, InferResult, JobInfo, Json } from '../../../core/api/index.js';
import { ioOrientation } from '../../../core/common/orientation.js';
import { toAffine } from '../../../core/common/spaces.js';
import { core } from '../../api/core.js';
import { describeError } from '../../api/describeError.js';
import { useExplainStore } from '../../stores/useExplainStore.js';
import { volumeViewport } from '../../viewer/cornerstone.js';
import { worldToFileIndex, type WorldLps } from '../../viewer/geometry.js';
import { loadedVolume, scanVolumeId } from '../../viewer/volumes.js';
import { describeMapParams } from './mapParams.js';
import { toInputIndex } from './occlusionEstimate.js';

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
    const done = await core().waitForJob(job.id);
    if (done.state === 'failed') useExplainStore.getState().setProblem(`${what} failed: ${describeError(done.error)}`);
    if (done.state === 'cancelled') useExplainStore.getState().setProblem(`${what} cancelled.`);
    return done.state === 'done' ? done : null;
  } catch (e) {
    useExplainStore.getState().setProblem(describeError(e));
    return null;
  } finally {
    unsubscribe();
    useExplainStore.getState().setJob(null);
  }
}

export async function runInference(modelId: string, imageId: string): Promise<void> {
  const done = await runJob(() => core().infer.run({ modelId, imageId }), 'Inference');
  if (done === null) return;
  const r = done.result as unknown as InferResult;
  useExplainStore.getState().setProbabilities({ imageId, classes: r.classes, values: r.probabilities });
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
  method: 'occlusion' | 'gradcam' | 'gradcam++',
  classIndex: number,
  occlusion: OcclusionSettings,
): Promise<void> {
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
  const label = method === 'occlusion' ? 'Occlusion' : method === 'gradcam' ? 'Grad-CAM' : 'Grad-CAM++';
  const done = await runJob(
    () => core().explain.run({ modelId, imageId, method, classIndex, ...(params !== undefined ? { params } : {}) }),
    label,
  );
  if (done === null) return;
  const r = done.result as unknown as ExplainResult;
  if (!(r.max > r.min)) {
    useExplainStore
      .getState()
      .setProblem(`The ${label} map is flat (every value ${r.min}): the model's output does not change over this scan, so there is nothing to overlay. Try another class or a trained model.`);
    return;
  }
  useExplainStore.getState().addMap({
    jobId: done.id,
    imageId,
    modelId,
    method,
    classIndex: r.classIndex,
    min: r.min,
    max: r.max,
    params: describeMapParams(r.params ?? params ?? {}),
  });
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
