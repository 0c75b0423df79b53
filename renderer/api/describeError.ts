// Errors from the core in words a reader can act on: the coded VoxlabError's message plus a way forward for
// the codes a user meets in the UI (a label conflict above all).

import { isUnreachable } from './unreachable.js';

/** A readable sentence for any thrown value; coded errors get a hint on what to do next. */
export function describeError(e: unknown): string {
  if (e === null || typeof e !== 'object') return String(e);
  const err = e as { code?: unknown; message?: unknown; details?: Record<string, unknown> };
  const message = typeof err.message === 'string' ? err.message : String(e);
  switch (err.code) {
    case 'LABEL_CONFLICT': {
      const stored = err.details?.currentVersion ?? err.details?.storedVersion;
      return `Someone else changed this label meanwhile${stored !== undefined ? ` (now version ${String(stored)})` : ''}. Your answer was kept in the history as a conflict; review the history and set the label again to resolve it.`;
    }
    case 'NOT_FOUND':
      return `${message}. It may have been removed: refresh the study list.`;
    case 'ALREADY_EXISTS':
      return `${message}.`;
    case 'CANCELLED':
      return 'Cancelled.';
    case 'DISK_FULL':
      // The message names the file that could not be written, for a report; the reader needs what to do.
      return err.details?.auditOnly === true
        ? 'The audit log could not record this: the disk holding the study is full. Free some space on it and try again (a change you made was saved). (DISK_FULL)'
        : 'Not saved: the disk holding the study is full. Free some space on it and try again; nothing saved before was lost. (DISK_FULL)';
    case 'STUDY_BUSY':
      return err.details?.auditOnly === true
        ? 'The audit log could not record this: the study is busy (another program is writing to it). A change you made was saved. (STUDY_BUSY)'
        : 'The study is busy (another program is writing to it): nothing was changed. Try again in a moment. (STUDY_BUSY)';
    case 'FORBIDDEN':
      // "ann (annotator) may not start a training run (train.start): it needs the role researcher or admin"
      return `Not allowed for your role: ${message.replace(/ \([a-z]+\.[a-zA-Z]+\)/, '')}. Ask an admin if you need it.`;
    case 'UNAUTHENTICATED':
      return `You are not signed in: ${message.replace(/^[A-Za-z][\w.]*: /, '')}.`;
    case 'RATE_LIMITED':
      return `${message.replace(/^[A-Za-z][\w.]*: /, '')}.`;
    case 'TRAIN_CONFIG_INVALID':
      return `Training settings: ${message}. Change the highlighted setting and start again.`;
    case 'TRAIN_DATA_INVALID':
      return `The study cannot be trained on yet: ${message}. Label more scans of each class.`;
    default: {
      // Core messages start with the function that refused ("classes.update: ..."), for developers: the
      // reader gets the sentence, and the code stays at the end for a report.
      const sentence = message.replace(/^[A-Za-z][\w.]*: /, '');
      return typeof err.code === 'string' ? `${sentence} (${err.code})` : message;
    }
  }
}

/** Codes of a file that exists but cannot be read as a volume. */
const UNREADABLE = new Set(['NOT_NIFTI', 'NIFTI_TRUNCATED', 'NIFTI_CORRUPT', 'NIFTI_UNSUPPORTED', 'NOT_A_VOLUME', 'TOO_LARGE']);

/**
 * Why the scan `imageId` could not be opened, and what to do, in words: a missing file (moved or deleted),
 * an unreadable file, an image gone from the study, or a server that cannot be reached.
 */
export function describeScanError(imageId: string, e: unknown): string {
  const err = (typeof e === 'object' && e !== null ? e : {}) as { code?: unknown; message?: unknown; details?: Record<string, unknown> };
  const file = typeof err.details?.path === 'string' ? err.details.path : null;
  if (err.code === 'NOT_FOUND' && file !== null)
    return `Its file ${file} is missing: it was moved, renamed or deleted. Put the file back (or import the scan again) and choose it again.`;
  if (err.code === 'NOT_FOUND') return `The scan ${imageId} is no longer in this study. Refresh the study list.`;
  if (isUnreachable(e))
    return 'The voxlab server cannot be reached. voxlab reconnects by itself; choose the scan again when the connection is back.';
  if (typeof err.code === 'string' && UNREADABLE.has(err.code))
    return `Its file cannot be read as a volume: ${String(err.message)} (${err.code}). Replace the file with a readable copy and choose the scan again.`;
  return `${describeError(e)} Choose the scan again; if it keeps failing, check the server's output.`;
}
