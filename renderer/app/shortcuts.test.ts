// Keys to class labels, and typing in fields not triggering shortcuts.

import { describe, expect, it } from 'vitest';
import { SHORTCUTS, classForKey, isTypingTarget } from './shortcuts.js';

describe('classForKey', () => {
  it.each([
    ['1', { label: 'F' }],
    ['2', { label: 'M' }],
    ['3', null],
    ['0', { label: null }],
    ['a', null],
  ] as const)('%s', (key, expected) => {
    expect(classForKey(key, ['F', 'M'])).toEqual(expected);
  });
});

describe('isTypingTarget', () => {
  it('is true for fields and editable content only', () => {
    expect(isTypingTarget({ tagName: 'input' })).toBe(true);
    expect(isTypingTarget({ tagName: 'SELECT' })).toBe(true);
    expect(isTypingTarget({ tagName: 'DIV', isContentEditable: true })).toBe(true);
    expect(isTypingTarget({ tagName: 'BODY' })).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
  it('lists every key once', () => {
    expect(new Set(SHORTCUTS.map((s) => s.keys)).size).toBe(SHORTCUTS.length);
  });
});
