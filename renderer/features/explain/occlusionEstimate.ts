// The cost of an occlusion run before it starts: windows per axis as MONAI's sliding window lays them out
// (step int(mask * (1 - overlap)), the last window moved back to the border; core/explain/occlusionParams),
// times the axes occluded. One forward pass per window plus the unoccluded baseline.

/** Windows along one axis of `length` voxels. */
export function windowsAlong(length: number, mask: number, overlap: number): number {
  if (mask >= length) return 1;
  const step = Math.max(1, Math.trunc(mask * (1 - overlap)));
  let count = 1;
  while ((count - 1) * step + mask < length) count++;
  return count;
}

/**
 * Forward passes for occlusion on a cubic model input of `inputSize` voxels: the whole volume, or one slice
 * (that axis has a single position). Null for an impossible setting (mask < 1, overlap outside [0, 1)).
 */
export function occlusionPasses(inputSize: number, mask: number, overlap: number, oneSlice: boolean): number | null {
  if (!(mask >= 1 && Number.isInteger(mask) && overlap >= 0 && overlap < 1 && inputSize >= 1)) return null;
  const per = windowsAlong(inputSize, Math.min(mask, inputSize), overlap);
  return (oneSlice ? per * per : per * per * per) + 1;
}

/** Index along a model-input axis of `inputSize` voxels for file voxel `index` on an axis of `length` voxels. */
export function toInputIndex(index: number, length: number, inputSize: number): number {
  return Math.min(inputSize - 1, Math.max(0, Math.floor(((index + 0.5) * inputSize) / length)));
}
