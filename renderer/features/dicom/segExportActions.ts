// DICOM SEG out (issue #11): "Save as DICOM SEG" downloads seg.export's file under the name the core gives it;
// "Send SEG to PACS" runs seg.send (a job) to the connected PACS, or first opens the Connect dialog.

import type { SegExportMeta } from '../../../core/api/index.js';
import { core } from '../../api/core.js';
import { usePacsStore } from '../../stores/usePacsStore.js';
import { useSegExportStore } from '../../stores/useSegExportStore.js';
import { describeDicomError } from './dicomWords.js';
import { followJob } from './followJob.js';
import { pacsQuery } from './pacsRows.js';

const segmentsInWords = (n: number) => `${n} ${n === 1 ? 'segment' : 'segments'}`;

/** Hands `data` to the browser as a download named `fileName` (a Blob URL, revoked shortly after). */
function download(data: ArrayBuffer, fileName: string): void {
  const url = URL.createObjectURL(new Blob([data], { type: 'application/dicom' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Downloads labelmap `version` of `imageId` as a DICOM SEG file. */
export async function saveSegFile(imageId: string, version: number): Promise<void> {
  const store = useSegExportStore.getState();
  store.start(imageId, 'file');
  try {
    const { meta, data } = await core().seg.export({ imageId, version });
    download(data, meta.fileName);
    useSegExportStore.getState().succeeded(`Saved ${meta.fileName}: SEG series ${meta.seriesInstanceUid} (${segmentsInWords(meta.segments)}, labelmap version ${meta.labelmapVersion}).`);
  } catch (e) {
    useSegExportStore.getState().failed(`Not saved: ${describeDicomError(e, 'seg')}`);
  }
}

/** Sends the SEG to the connected PACS; with none connected, the Connect dialog opens first (purpose sendSeg). */
export async function sendSeg(imageId: string, version: number): Promise<void> {
  const pacs = usePacsStore.getState();
  if (pacs.connectedUrl === null) return pacs.openDialog({ kind: 'sendSeg', imageId, version });
  await runSend(imageId, version, pacs.connectedUrl, pacs.form.authorization.trim());
}

/** From the Connect dialog: check the URL, remember it, close the dialog and send. */
export async function connectAndSend(imageId: string, version: number): Promise<void> {
  const pacs = usePacsStore.getState();
  const checked = pacsQuery(pacs.form);
  if ('problem' in checked) return pacs.setProblem(checked.problem);
  pacs.rememberUrl(checked.query.url);
  pacs.closeDialog();
  await runSend(imageId, version, checked.query.url, checked.query.authorization ?? '');
}

async function runSend(imageId: string, version: number, url: string, authorization: string): Promise<void> {
  const store = useSegExportStore.getState();
  store.start(imageId, 'send');
  try {
    const job = await core().seg.send({ imageId, version, url, ...(authorization !== '' ? { authorization } : {}) });
    useSegExportStore.getState().progress(job.progress.fraction, job.progress.message);
    const done = await followJob(core(), job, (fraction, message) => useSegExportStore.getState().progress(fraction, message));
    if (done.state === 'done') {
      const meta = done.result as unknown as SegExportMeta;
      usePacsStore.getState().connected(url);
      useSegExportStore.getState().succeeded(`Sent to the PACS as SEG series ${meta.seriesInstanceUid} (${segmentsInWords(meta.segments)}, labelmap version ${meta.labelmapVersion}).`);
      return;
    }
    const why = done.state === 'cancelled' ? 'cancelled' : describeDicomError(done.error, 'seg');
    failSend(done.error?.code, `Not sent: ${why}`);
  } catch (e) {
    failSend((e as { code?: unknown } | null)?.code, `Not sent: ${describeDicomError(e, 'seg')}`);
  }
}

/** A PACS that refused or vanished is no longer "connected": the next send asks for it again. */
function failSend(code: unknown, problem: string): void {
  if (code === 'REMOTE_UNREACHABLE' || code === 'REMOTE_REFUSED') usePacsStore.getState().connected(null);
  useSegExportStore.getState().failed(problem);
}
