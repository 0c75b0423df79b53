// The open scan's labelmap versions: the list (labelmaps.history, newest first), the voxel count of each
// shown version (fetched once per version, cached), and previewing one version in the views.

import { core } from '../../api/core.js';
import { describeError } from '../../api/describeError.js';
import { useSegmentationStore } from '../../stores/useSegmentationStore.js';
import { setPreviewData, toGridOrder } from '../../viewer/labelmap.js';

/** Painted (non-zero) voxels per "imageId:version"; a version never changes once saved. */
const voxelCounts = new Map<string, number>();
const pending = new Map<string, Promise<number>>();

/** Reloads the version list of the open scan (newest first). Problems go to the panel in words. */
export async function refreshHistory(): Promise<void> {
  const imageId = useSegmentationStore.getState().imageId;
  if (imageId === null) return;
  try {
    const history = await core().labelmaps.history({ imageId });
    if (useSegmentationStore.getState().imageId !== imageId) return;
    useSegmentationStore.getState().setHistory([...history].sort((a, b) => b.version - a.version));
  } catch (e) {
    useSegmentationStore.getState().setProblem(`Could not list the labelmap versions: ${describeError(e)}`);
  }
}

/** The file-order bytes of one saved version of the open scan. */
export async function versionBytes(imageId: string, version: number): Promise<Uint8Array> {
  const answer = await core().labelmaps.get({ imageId, version });
  const bytes = new Uint8Array(answer.data);
  voxelCounts.set(`${imageId}:${version}`, countPainted(bytes));
  return bytes;
}

function countPainted(bytes: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) n++;
  return n;
}

/** Records the painted voxel count of a version the app just saved (it knows it without fetching). */
export function rememberVoxelCount(imageId: string, version: number, count: number): void {
  voxelCounts.set(`${imageId}:${version}`, count);
}

/** The painted voxel count of a version if known now (else undefined). */
export function knownVoxelCount(imageId: string, version: number): number | undefined {
  return voxelCounts.get(`${imageId}:${version}`);
}

/** The painted voxel count of a version, fetching it once. */
export function voxelCount(imageId: string, version: number): Promise<number> {
  const key = `${imageId}:${version}`;
  const known = voxelCounts.get(key);
  if (known !== undefined) return Promise.resolve(known);
  let p = pending.get(key);
  if (p === undefined) {
    p = versionBytes(imageId, version).then(() => voxelCounts.get(key)!); // versionBytes counted them
    pending.set(key, p);
    void p.finally(() => pending.delete(key));
  }
  return p;
}

/** Draws `version` in the views instead of the current labelmap (painting is off meanwhile). */
export async function previewVersion(version: number): Promise<void> {
  const store = useSegmentationStore.getState();
  if (store.imageId === null) return;
  try {
    const grid = toGridOrder(await versionBytes(store.imageId, version));
    setPreviewData(grid);
    store.setTool('none');
    store.setProblem(null);
    store.setPreview(version);
  } catch (e) {
    store.setProblem(`Could not preview version ${version}: ${describeError(e)}`);
  }
}

/** Shows the current labelmap again. */
export function closePreview(): void {
  setPreviewData(null);
  useSegmentationStore.getState().setPreview(null);
}
