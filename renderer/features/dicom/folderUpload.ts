// Uploads chosen files into one fresh upload on the core (dicom.stage), four at a time, reading each file
// right before it is sent: a folder of thousands of slices never sits in memory at once.

import type { CoreApi } from '../../../core/api/index.js';
import type { PickedFile } from './pickedFiles.js';
import { uploadAll, type UploadProgress } from './uploadQueue.js';
import { stageName } from './uploadNames.js';

/** What the upload needs of the CoreApi. */
export type StageApi = { readonly dicom: Pick<CoreApi['dicom'], 'stage'> };

/**
 * Sends `files` into the upload `uploadId` (see uploadAll for concurrency, cancel and failure). Empty files
 * are left out (the core refuses them and they cannot be DICOM). Resolves with the final progress.
 */
export function uploadFiles(
  api: StageApi,
  files: readonly PickedFile[],
  uploadId: string,
  options: { signal?: AbortSignal; onProgress?: (p: UploadProgress) => void } = {},
): Promise<UploadProgress> {
  const sendable = files.filter((f) => f.file.size > 0);
  return uploadAll(
    sendable,
    async (f, index) => {
      const bytes = await f.file.arrayBuffer();
      await api.dicom.stage({ uploadId, name: stageName(index, f.path) }, bytes);
      return bytes.byteLength;
    },
    options,
  );
}
