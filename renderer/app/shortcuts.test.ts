// Keys to class labels, and typing in fields not triggering shortcuts.

import { describe, expect, it } from 'vitest';
import { SHORTCUTS, classForKey, isTypingTarget } from './shortcuts.js';

describe('classForKey', () => {
  it.each([
    ['1', { label: 'F' }],
    ['2', { label: 'M' }],
    ['3', null],
    ['7', { label: 'other' }],
    ['0', { label: null }],
    ['a', null],
  ] as const)('%s', (key, expected) => {
    // Keys are the ones the study gave its classes, not list positions: 'other' has 7, 'unsure' none.
    const classes = [
      { name: 'F', key: 1 },
      { name: 'M', key: 2 },
      { name: 'unsure', key: null },
      { name: 'other', key: 7 },
    ];
    expect(classForKey(key, classes)).toEqual(expected);
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
