// Checks shared by the study's display metadata (class and segment names, colours, shortcut keys): each
// throws BAD_ARGUMENT naming the function and the bad value, in words a user can act on.

import { assert } from '../common/errors.js';

/** Longest class or segment name, as for class labels (classLabels.ts checkClassLabel). */
export const MAX_NAME_LENGTH = 200;

/**
 * Throws BAD_ARGUMENT unless `name` is 1..200 characters without control characters or surrounding spaces,
 * and not '.' or '..' (names travel as URL path segments, where those two mean folders).
 */
export function checkDisplayName(fn: string, what: string, name: unknown): asserts name is string {
  assert(typeof name === 'string' && name.trim().length > 0, () => `${fn}: the ${what} name must not be empty, got ${JSON.stringify(name)}`);
  assert(name.length <= MAX_NAME_LENGTH, () => `${fn}: the ${what} name is ${name.length} characters long; at most ${MAX_NAME_LENGTH} are allowed`);
  assert(!/[\p{Cc}]/u.test(name), () => `${fn}: the ${what} name ${JSON.stringify(name)} holds control characters (tabs, line breaks)`);
  assert(name === name.trim(), () => `${fn}: the ${what} name ${JSON.stringify(name)} starts or ends with spaces`);
  assert(name !== '.' && name !== '..', () => `${fn}: "${name}" cannot be a ${what} name`);
}

/** '#rrggbb' in lower case. Throws BAD_ARGUMENT for anything else (e.g. 'red', '#fff', 'rgb(1,2,3)'). */
export function normaliseColour(fn: string, colour: unknown): string {
  assert(typeof colour === 'string' && /^#[0-9a-fA-F]{6}$/.test(colour), () => `${fn}: colour must be '#rrggbb' (six hex digits, e.g. '#e15759'), got ${JSON.stringify(colour)}`);
  return colour.toLowerCase();
}

/** Throws BAD_ARGUMENT unless `key` is undefined, null or an integer 1..9 (the number keys of a keyboard). */
export function checkShortcutKey(fn: string, key: unknown): asserts key is number | null | undefined {
  assert(key === undefined || key === null || (Number.isInteger(key) && (key as number) >= 1 && (key as number) <= 9), () => `${fn}: key must be a number key 1..9 or null (no shortcut), got ${JSON.stringify(key)}`);
}
