// Core errors in words: a label conflict names what happened and what to do; unknown codes keep their code.

import { describe, expect, it } from 'vitest';
import { VoxlabError } from '../../core/common/errors.js';
import { describeError } from './describeError.js';

describe('describeError', () => {
  it('explains a label conflict with the way forward', () => {
    const text = describeError(new VoxlabError('LABEL_CONFLICT', 'stale', { storedVersion: 3, currentVersion: 2 }));
    expect(text).toMatch(/Someone else changed this label/);
    expect(text).toMatch(/version 2/);
    expect(text).toMatch(/set the label again/);
  });
  it.each([
    [new VoxlabError('TRAIN_DATA_INVALID', 'one class only'), /Label more scans/],
    [new VoxlabError('IO_ERROR', 'disk full'), /disk full \(IO_ERROR\)/],
    [new Error('plain'), /^plain$/],
    ['text', /^text$/],
  ] as const)('%s', (e, pattern) => {
    expect(describeError(e)).toMatch(pattern);
  });
});
