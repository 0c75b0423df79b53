// Errors from the core in words a reader can act on: the coded VoxlabError's message plus a way forward for
// the codes a user meets in the UI (a label conflict above all).

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
    case 'TRAIN_CONFIG_INVALID':
      return `Training settings: ${message}. Change the highlighted setting and start again.`;
    case 'TRAIN_DATA_INVALID':
      return `The study cannot be trained on yet: ${message}. Label more scans of each class.`;
    default:
      return typeof err.code === 'string' ? `${message} (${err.code})` : message;
  }
}
