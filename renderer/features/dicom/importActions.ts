// DICOM import from the app (issue #11): files chosen with "Open DICOM folder…" or dropped on the window are
// uploaded (dicom.stage, four at a time, one fresh upload id per attempt) and converted by the core's import
// job (dicom.importStaged); a PACS import (pacs.import) follows the same job path. Progress, the report and
// problems land in the import store; the study list is refreshed and the first imported scan opened.
// The chosen files are kept here (never in a store) so "Try again" needs no new choice.

import type { JobInfo } from '../../../core/api/index.js';
import { core } from '../../api/core.js';
import { readerForWrite } from '../../api/identity.js';
import { refusalNow } from '../../api/permissions.js';
import { isUnreachable } from '../../api/unreachable.js';
import { importRunning, useDicomImportStore, type ImportSource } from '../../stores/useDicomImportStore.js';
import { useStudyStore } from '../../stores/useStudyStore.js';
import { refreshStudy } from '../studyList/useStudyLoader.js';
import { describeDicomError } from './dicomWords.js';
import { followJob } from './followJob.js';
import { uploadFiles } from './folderUpload.js';
import { readImportReport } from './importReport.js';
import { chosenName, type PickedFile } from './pickedFiles.js';
import { newUploadId } from './uploadNames.js';

/** The last attempt, repeated by "Try again" (the chosen files or the PACS request live in its closure). */
let lastAttempt: (() => Promise<void>) | null = null;
/** Aborts the upload in flight. */
let uploading: AbortController | null = null;

const NO_READER = 'Not imported: enter your name first (voxlab records who imported every scan).';

/** Imports the chosen files; `unreadable` names entries the browser would not hand over. */
export function importPickedFiles(files: readonly PickedFile[], unreadable: readonly string[] = []): void {
  const store = useDicomImportStore.getState();
  const refused = refusalNow('dicom.stage'); // files dropped on the window by a role that may not import
  if (refused !== null) {
    store.begin('folder', '', 0);
    store.failed(refused, false);
    return;
  }
  if (importRunning(store)) {
    store.failed('An import is still running: wait for it to finish (or cancel it) before choosing more files.', false);
    return;
  }
  if (files.length === 0) {
    const why = unreadable.length > 0 ? ` (the browser could not read ${unreadable.slice(0, 3).join(', ')})` : '';
    store.begin('folder', '', 0);
    store.failed(`Nothing to import: no files were chosen${why}. Choose a folder that holds DICOM files, or drop one on the window.`, false);
    lastAttempt = null;
    return;
  }
  const chosen = [...files];
  lastAttempt = () => uploadAndImport(chosen);
  void lastAttempt();
}

async function uploadAndImport(files: readonly PickedFile[]): Promise<void> {
  const what = chosenName(files);
  const author = readerForWrite('to import DICOM series');
  const store = useDicomImportStore.getState();
  if (author === null) {
    store.begin('folder', what, files.length);
    store.failed(`${NO_READER} Your files stay chosen: choose Try again once you have entered it.`, true);
    return;
  }
  store.begin('folder', what, files.length);
  const uploadId = newUploadId(new Date());
  const controller = new AbortController();
  uploading = controller;
  try {
    await uploadFiles(core(), files, uploadId, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.total !== useDicomImportStore.getState().total) useDicomImportStore.setState({ total: p.total });
        useDicomImportStore.getState().uploadProgress(p.done, p.bytes);
      },
    });
  } catch (e) {
    if (controller.signal.aborted) useDicomImportStore.getState().cancelled(true);
    else useDicomImportStore.getState().failed(describeDicomError(e, 'upload'), true);
    return;
  } finally {
    uploading = null;
  }
  await runImportJob(() => core().dicom.importStaged({ uploadId, author }));
}

/** Starts an import job, follows its progress, and shows its report (or its failure, in words). */
export async function runImportJob(start: () => Promise<JobInfo>): Promise<void> {
  let job: JobInfo;
  try {
    job = await start();
  } catch (e) {
    useDicomImportStore.getState().failed(describeDicomError(e, 'import'), isUnreachable(e));
    return;
  }
  useDicomImportStore.getState().importing(job.id, job.progress.fraction, job.progress.message);
  let done: JobInfo;
  try {
    done = await followJob(core(), job, (fraction, message) => useDicomImportStore.getState().jobProgress(fraction, message));
  } catch (e) {
    // followJob gives up only when jobs.get refuses: the job is gone, i.e. the server restarted meanwhile.
    const gone = (e as { code?: unknown } | null)?.code === 'NOT_FOUND';
    useDicomImportStore
      .getState()
      .failed(
        gone
          ? 'The voxlab server restarted during the import, so it did not finish. Choose Try again.'
          : `Lost track of the import: ${describeDicomError(e, 'import')}`,
        gone && lastAttempt !== null,
      );
    return;
  }
  if (done.state === 'cancelled') return useDicomImportStore.getState().cancelled(lastAttempt !== null);
  if (done.state === 'failed') return useDicomImportStore.getState().failed(describeDicomError(done.error, 'import'), isUnreachable(done.error));
  const report = readImportReport(done.result);
  useDicomImportStore.getState().finished(report);
  await refreshStudy();
  const first = report.imported[0];
  if (first !== undefined) useStudyStore.getState().select(first.imageId);
}

/** Starts a PACS import (the dialog checked the query) and follows it like a folder import. */
export function importFromPacsJob(what: string, start: () => Promise<JobInfo>): void {
  const store = useDicomImportStore.getState();
  if (importRunning(store)) {
    store.failed('An import is still running: wait for it to finish (or cancel it) before importing more.', false);
    return;
  }
  lastAttempt = async () => {
    useDicomImportStore.getState().begin('pacs' satisfies ImportSource, what, 0);
    await runImportJob(start);
  };
  void lastAttempt();
}

/** "Try again": the last attempt with the same files or PACS request. */
export function retryImport(): void {
  if (lastAttempt !== null && !importRunning(useDicomImportStore.getState())) void lastAttempt();
}

/** Stops the upload (files in flight finish; the partial upload is removed by the core within a day) or the job. */
export async function cancelImport(): Promise<void> {
  const store = useDicomImportStore.getState();
  if (uploading !== null) {
    uploading.abort();
    return;
  }
  if (store.jobId === null) return;
  try {
    await core().jobs.cancel({ jobId: store.jobId });
  } catch (e) {
    useDicomImportStore.getState().failed(describeDicomError(e, 'import'), false);
  }
}

/** Opens an imported scan from the report. */
export function openImported(imageId: string): void {
  useStudyStore.getState().select(imageId);
}
