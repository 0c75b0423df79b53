// One error class for all of voxlab, with a string-union code that survives JSON across IPC and HTTP
// (the pattern of Excalidraw's coded errors). The message is written for a person; the code is for code.

/** Every error code voxlab raises. Add new codes here, with a one-line meaning. */
export const ERROR_CODES = {
  BAD_ARGUMENT: 'a function or command got a value it cannot use',
  NOT_FOUND: 'a file, image, label or study does not exist',
  IO_ERROR: 'the operating system refused a read or write',
  DISK_FULL: 'the disk (or quota) holding the study is full: a write was refused whole, nothing saved before was lost',
  STUDY_BUSY: 'another process kept the study database locked for longer than voxlab waits (5 s): try again',
  NOT_NIFTI: 'the file is not a NIfTI image (bad magic or header size)',
  NIFTI_TRUNCATED: 'the file ends before the data its header promises',
  NIFTI_CORRUPT: 'the header has impossible values or the compressed stream is damaged',
  NIFTI_UNSUPPORTED: 'a NIfTI feature voxlab does not read (for example an unknown datatype)',
  NOT_A_VOLUME: 'the file holds something other than a 3D/4D volume (for example CIFTI surface data)',
  TOO_LARGE: 'the data would need more memory than voxlab allows for one image',
  SHAPE_MISMATCH: 'two arrays or images do not have compatible shapes',
  BAD_VALUES: 'the data holds values that cannot be used (NaN, infinite, constant)',
  CSV_INVALID: 'a labels CSV cannot be parsed or lacks the needed columns',
  STUDY_INVALID: 'a folder is not a voxlab study or its database is damaged',
  LABEL_CONFLICT: 'a label was written against an older version than the current one',
  ALREADY_EXISTS: 'an id, file or study that must be new is already taken',
  CANCELLED: 'the user or a caller stopped the operation',
  INTERNAL: 'a bug in voxlab: please report it',
  MODEL_INVALID: 'a model configuration is impossible (for example an input too small for its poolings)',
  WEIGHTS_INVALID: 'a weights file is damaged or not in the expected format (safetensors)',
  WEIGHTS_MISMATCH: 'weights do not fit the model: missing, unexpected or mis-shaped tensors',
  TRAIN_CONFIG_INVALID: 'a training setting is out of range or inconsistent (for example epochs 0 or a validation fraction of 1)',
  REMOTE_UNREACHABLE: 'a server voxlab talks to (a PACS) cannot be reached or stopped answering, after retries',
  REMOTE_REFUSED: 'a server voxlab talks to (a PACS) refused the request: log-in needed or permission missing',
  REMOTE_ERROR: 'a server voxlab talks to (a PACS) answered with an error or with data voxlab cannot read',
  TRAIN_DATA_INVALID: 'the study cannot be trained on as it is: no labels, one class only, too few images or unreadable scans',
  UNAUTHENTICATED: 'the call needs a signed-in account (a personal token or a session), or the one given is not valid',
  FORBIDDEN: "the signed-in account's role may not do this",
  RATE_LIMITED: 'too many failed sign-ins from this address: wait and try again',
  GPU_OUT_OF_MEMORY: 'the GPU has not enough memory for the work (details say which batch size fits)',
  GPU_ERROR: 'the GPU refused or failed a computation (a driver or voxlab problem, not the data)',
  PYTHON_NOT_FOUND:
    'no Python with PyTorch and MONAI was found for the MONAI engine (--python PATH or VOXLAB_PYTHON names one)',
  BUNDLE_FAILED: "a MONAI bundle's training process failed or ended without finishing (the message has its log's tail)",
  NATIVE_MODULE:
    'a compiled part of voxlab (a native module) did not load: the install needs a rebuild or a reinstall (the message says how)',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The serialised form of a VoxlabError, as it travels over IPC and HTTP. */
export interface VoxlabErrorJson {
  readonly name: 'VoxlabError';
  readonly code: ErrorCode;
  readonly message: string;
  readonly details?: Record<string, unknown>;
}

/** An error with a typed code and a message a user can read. */
export class VoxlabError extends Error {
  override readonly name = 'VoxlabError';
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.details = details;
  }

  toJSON(): VoxlabErrorJson {
    return this.details === undefined
      ? { name: this.name, code: this.code, message: this.message }
      : { name: this.name, code: this.code, message: this.message, details: this.details };
  }

  /** Rebuilds an error that crossed a transport; anything unrecognised becomes INTERNAL. */
  static fromJSON(value: unknown): VoxlabError {
    if (typeof value === 'object' && value !== null) {
      const v = value as Partial<VoxlabErrorJson>;
      if (typeof v.code === 'string' && v.code in ERROR_CODES && typeof v.message === 'string') {
        return new VoxlabError(v.code, v.message, v.details);
      }
    }
    return new VoxlabError('INTERNAL', `Unrecognised error: ${String(value)}`);
  }
}

/** True when `e` is a VoxlabError (also across realms, where instanceof fails). */
export function isVoxlabError(e: unknown): e is VoxlabError {
  return e instanceof VoxlabError || (typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'VoxlabError');
}

/** Error codes that mean "no space left": Node's ENOSPC / EDQUOT (quota) and SQLite's SQLITE_FULL. */
const DISK_FULL_CAUSES: ReadonlySet<string> = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);

/**
 * True when `e`, or an error in its `cause` chain (an IO_ERROR wrapping the OS error), says the disk or the
 * quota is full: a `code` of ENOSPC, EDQUOT or SQLITE_FULL, or a VoxlabError DISK_FULL. Looks at most 8
 * causes deep (a cycle of causes ends there).
 */
export function isDiskFull(e: unknown): boolean {
  let at: unknown = e;
  for (let depth = 0; depth < 8 && typeof at === 'object' && at !== null; depth++) {
    const code = (at as { code?: unknown }).code;
    if (typeof code === 'string' && (DISK_FULL_CAUSES.has(code) || (code === 'DISK_FULL' && isVoxlabError(at)))) return true;
    at = (at as { cause?: unknown }).cause;
  }
  return false;
}

/** The words a person reads when a write hit a full disk. */
export const DISK_FULL_WORDS = 'The disk holding the study is full: free some space and try again. Nothing saved before was lost.';

/**
 * The DISK_FULL error for a write `what` (e.g. 'labelmaps.save') that failed with `cause` (kept as cause, its
 * message in details.reason). Use it only where `isDiskFull(cause)` holds.
 */
export function diskFullError(what: string, cause: unknown): VoxlabError {
  if (isVoxlabError(cause) && cause.code === 'DISK_FULL') return cause;
  const reason = (cause as Error)?.message ?? String(cause);
  return new VoxlabError('DISK_FULL', `${what}: ${DISK_FULL_WORDS}`, { reason: reason.slice(0, 300) }, { cause });
}

/** SQLite's answers when another connection held the study's lock past busy_timeout (better-sqlite3 `code`s). */
const STUDY_BUSY_CAUSES: ReadonlySet<string> = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED']);

/** True when `e` (or an error in its cause chain, at most 8 deep) is SQLite's "database is locked". */
export function isStudyBusy(e: unknown): boolean {
  let at: unknown = e;
  for (let depth = 0; depth < 8 && typeof at === 'object' && at !== null; depth++) {
    const code = (at as { code?: unknown }).code;
    if (typeof code === 'string' && STUDY_BUSY_CAUSES.has(code)) return true;
    at = (at as { cause?: unknown }).cause;
  }
  return false;
}

/** The STUDY_BUSY error for a call `what` that SQLite refused with "database is locked" (`cause`). */
export function studyBusyError(what: string, cause: unknown): VoxlabError {
  return new VoxlabError(
    'STUDY_BUSY',
    `${what}: the study is busy: another process kept its database locked too long. Nothing was changed by this call; try again.`,
    { reason: ((cause as Error)?.message ?? String(cause)).slice(0, 300) },
    { cause },
  );
}

/** Throws BAD_ARGUMENT (or `code`) with `message` unless `condition` holds (tfjs util.assert). */
export function assert(condition: unknown, message: string | (() => string), code: ErrorCode = 'BAD_ARGUMENT'): asserts condition {
  if (!condition) throw new VoxlabError(code, typeof message === 'function' ? message() : message);
}
