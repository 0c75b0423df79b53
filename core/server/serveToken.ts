// The access token of a study's server, kept in the study folder with owner-only permissions so that it
// stays the same across restarts of `voxlab serve` on that study (open pages and scripts keep working), and
// replaced only when asked (`voxlab serve --rotate-token`). Issue #10: a restart printed a new token and
// every open page died with "access token is required".

import { chmodSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { VoxlabError } from '../common/errors.js';
import { newToken } from './security.js';

/** The token file inside the study folder. */
export const TOKEN_FILE = 'serve.token';
/** A token as newToken() makes it: 43 base64url characters (older or hand-made ones: 32-128). */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{32,128}$/;

export interface StudyToken {
  readonly token: string;
  /** Where it is kept; null when the study folder cannot hold it (the token then lasts this run only). */
  readonly file: string | null;
  /** 'kept': read from the file; 'new': made now (first serve, rotation, or an unusable file). */
  readonly origin: 'kept' | 'new';
  /** Things the operator should know (looser permissions fixed, a damaged file replaced, cannot save). */
  readonly warnings: readonly string[];
}

function readKept(file: string, warnings: string[]): string | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    warnings.push(`could not read ${file} (${(e as Error).message}): made a new access token`);
    return null;
  }
  if (!TOKEN_SHAPE.test(text)) {
    warnings.push(`${file} does not hold a valid access token: made a new one`);
    return null;
  }
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
    chmodSync(file, 0o600);
    warnings.push(`${file} was readable by other users: its permissions are now owner-only (consider --rotate-token)`);
  }
  return text;
}

/** Writes `token` to `file` atomically (temp file, mode 0600, rename). */
function keep(file: string, token: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${token}\n`, { mode: 0o600, flag: 'w' });
  chmodSync(temp, 0o600); // the umask cannot widen it, but an existing temp file kept its old mode
  renameSync(temp, file);
}

/**
 * The token for serving `studyDir`: the kept one, or a new one (saved for the next start) on first use, with
 * `rotate`, or when the kept file is unusable. Never throws for a read-only study: the token then lasts
 * this run only, with a warning.
 */
export function studyToken(studyDir: string, options: { rotate?: boolean } = {}): StudyToken {
  if (typeof studyDir !== 'string' || studyDir === '')
    throw new VoxlabError('BAD_ARGUMENT', `studyToken: studyDir must be a folder path, got ${JSON.stringify(studyDir)}`);
  const file = path.join(studyDir, TOKEN_FILE);
  const warnings: string[] = [];
  const kept = options.rotate === true ? null : readKept(file, warnings);
  if (kept !== null) return { token: kept, file, origin: 'kept', warnings };
  const token = newToken();
  try {
    keep(file, token);
    return { token, file, origin: 'new', warnings };
  } catch (e) {
    warnings.push(`could not save the access token in ${file} (${(e as Error).message}): it is valid until this server stops`);
    return { token, file: null, origin: 'new', warnings };
  }
}
