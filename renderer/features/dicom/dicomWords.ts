// DICOM errors in words (issue #11): the PACS codes (REMOTE_*), a bad PACS setting, an upload that never
// reached the voxlab server, and a server side not wired yet; everything else as describeError says it.

import { describeError } from '../../api/describeError.js';
import { isUnreachable } from '../../api/unreachable.js';

/** Where the error happened: uploading a folder, importing it, talking to a PACS, or making a SEG. */
export type DicomContext = 'upload' | 'import' | 'pacs' | 'seg';

const sentence = (e: unknown): string => {
  const message = typeof (e as { message?: unknown } | null)?.message === 'string' ? (e as { message: string }).message : String(e);
  return message.replace(/^[A-Za-z][\w.]*: /, '').replace(/\.$/, '');
};
const codeOf = (e: unknown): unknown => (typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined);

/** A sentence for an error met while importing DICOM or talking to a PACS, with what to do next. */
export function describeDicomError(e: unknown, context: DicomContext): string {
  if (isUnreachable(e)) {
    const lost = { upload: 'nothing was imported', import: 'nothing was imported', pacs: 'the PACS cannot be searched or imported from', seg: 'no SEG was made or sent' }[context];
    const next = context === 'upload' || context === 'import' ? 'Your files stay chosen: choose Try again once the connection is back.' : 'Try again once the connection is back.';
    return `The voxlab server cannot be reached, so ${lost}. voxlab reconnects by itself. ${next}`;
  }
  const what = sentence(e);
  switch (codeOf(e)) {
    case 'REMOTE_UNREACHABLE':
      // The core's own sentence already names the PACS ("the PACS at … did not answer …"): not said twice.
      return `${/^the PACS\b/i.test(what) ? what.charAt(0).toUpperCase() + what.slice(1) : `The PACS cannot be reached: ${what}`}. Check the DICOMweb URL and that the PACS is running, then try again.`;
    case 'REMOTE_REFUSED':
      return `The PACS refused the request: ${what}. It wants a log-in or a permission you lack: fill in the Authorization header (for example "Basic …" or "Bearer …") and try again.`;
    case 'REMOTE_ERROR':
      return `The PACS answered with an error: ${what}. Check that the URL is its DICOMweb root (for example http://host:8042/dicom-web).`;
    case 'BAD_ARGUMENT':
      return context === 'pacs' || context === 'seg'
        ? `voxlab cannot use these PACS settings: ${what}. Correct the URL or the filters and try again.`
        : `${what} (BAD_ARGUMENT)`;
    case 'INTERNAL':
      if (/not wired yet/i.test(what)) return `This voxlab server cannot do that yet (${what}). Update voxlab.`;
      return describeError(e);
    case 'CANCELLED':
      return 'Cancelled: nothing was imported.';
    default:
      return describeError(e);
  }
}
