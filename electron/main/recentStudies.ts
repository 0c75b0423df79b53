// The recent-studies list of the File menu: newest first, at most 10, stored as JSON in the user's data
// folder. A damaged file counts as an empty list (it is only a convenience).

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../core/io/atomicWrite.js';

export const MAX_RECENT = 10;

/** `dir` moved to the front of `list` (once), capped at MAX_RECENT. */
export function addRecent(list: readonly string[], dir: string): string[] {
  return [dir, ...list.filter((d) => d !== dir)].slice(0, MAX_RECENT);
}

export function recentFile(userData: string): string {
  return path.join(userData, 'recent-studies.json');
}

/** The stored list, without entries that are no longer study folders. */
export function readRecent(userData: string): string[] {
  const file = recentFile(userData);
  if (!existsSync(file)) return [];
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (!Array.isArray(value)) return [];
    return value
      .filter((d): d is string => typeof d === 'string' && existsSync(path.join(d, 'voxlab.sqlite')))
      .slice(0, MAX_RECENT);
  } catch (e) {
    process.emitWarning(`voxlab: ignoring an unreadable ${file}: ${(e as Error).message}`);
    return [];
  }
}

export async function writeRecent(userData: string, list: readonly string[]): Promise<void> {
  await writeFileAtomic(recentFile(userData), JSON.stringify(list, null, 2));
}
