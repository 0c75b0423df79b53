// Client-supplied paths are confined to the study folder: relative only, no '..' segments, no NUL, and
// after resolving symlinks still inside the study (a link pointing out is refused like '..').

import { realpathSync } from 'node:fs';
import path from 'node:path';
import { VoxlabError } from '../common/errors.js';

/** True when `child` is `parent` or below it (both absolute, resolved). */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function refuse(what: string, given: string, why: string): never {
  throw new VoxlabError('BAD_ARGUMENT', `${what}: "${given}" is not allowed: ${why}`, {
    path: given,
    reason: 'outside-study',
  });
}

/**
 * The absolute real path of `relative` inside `root`. Throws BAD_ARGUMENT (details.reason 'outside-study')
 * for absolute paths, '..' segments, NUL bytes, backslashes, and paths that a symlink leads out of `root`;
 * NOT_FOUND when it does not exist.
 */
export function resolveInside(root: string, relative: string, what = 'path'): string {
  if (typeof relative !== 'string' || relative.length === 0) refuse(what, String(relative), 'empty');
  if (relative.includes('\0')) refuse(what, relative, 'it holds a NUL byte');
  if (relative.includes('\\')) refuse(what, relative, "use '/' as the separator");
  if (path.isAbsolute(relative) || path.win32.isAbsolute(relative) || /^[A-Za-z]:/.test(relative))
    refuse(what, relative, 'absolute paths are refused; give a path relative to the study folder');
  if (relative.split('/').some((s) => s === '..')) refuse(what, relative, "'..' segments are refused");
  const realRoot = realpathSync(root);
  const target = path.resolve(realRoot, relative);
  if (!isInside(realRoot, target)) refuse(what, relative, 'it leads outside the study folder');
  let real: string;
  try {
    real = realpathSync(target);
  } catch (e) {
    throw new VoxlabError(
      'NOT_FOUND',
      `${what}: "${relative}" does not exist in the study folder`,
      { path: relative },
      { cause: e },
    );
  }
  if (!isInside(realRoot, real)) refuse(what, relative, 'a symbolic link leads outside the study folder');
  return real;
}
