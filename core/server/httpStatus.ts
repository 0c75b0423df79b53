// HTTP status codes for VoxlabError codes: the body always carries the error's JSON, the status lets
// generic HTTP tools (curl, proxies, MONAI Label clients) tell what happened.

import type { ErrorCode, VoxlabError } from '../common/errors.js';

const STATUS: Partial<Record<ErrorCode, number>> = {
  BAD_ARGUMENT: 400,
  CSV_INVALID: 400,
  TRAIN_CONFIG_INVALID: 400,
  MODEL_INVALID: 400,
  WEIGHTS_INVALID: 400,
  WEIGHTS_MISMATCH: 400,
  NOT_NIFTI: 422,
  NIFTI_TRUNCATED: 422,
  NIFTI_CORRUPT: 422,
  NIFTI_UNSUPPORTED: 422,
  NOT_A_VOLUME: 422,
  SHAPE_MISMATCH: 422,
  BAD_VALUES: 422,
  TRAIN_DATA_INVALID: 422,
  NOT_FOUND: 404,
  LABEL_CONFLICT: 409,
  ALREADY_EXISTS: 409,
  TOO_LARGE: 413,
  CANCELLED: 409,
  STUDY_INVALID: 500,
  IO_ERROR: 500,
  DISK_FULL: 507, // Insufficient Storage (RFC 4918)
  STUDY_BUSY: 503, // Service Unavailable: retry
  INTERNAL: 500,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  GPU_OUT_OF_MEMORY: 503,
  GPU_ERROR: 500,
  NATIVE_MODULE: 500,
};

/** The HTTP status for an error: by code; 403 for paths outside the study, 501 for operations not in this build. */
export function httpStatusOf(e: VoxlabError): number {
  if (e.details?.reason === 'outside-study') return 403;
  if (e.details?.reason === 'not-available-yet') return 501;
  if (typeof e.details?.status === 'number' && e.details.status >= 400 && e.details.status < 600)
    return e.details.status;
  return STATUS[e.code] ?? 500;
}
