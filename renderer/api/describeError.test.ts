// Core errors in words: a label conflict names what happened and what to do; unknown codes keep their code.

import { describe, expect, it } from 'vitest';
import { VoxlabError } from '../../core/common/errors.js';
import { describeError, describeScanError } from './describeError.js';

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
    [new VoxlabError('DISK_FULL', 'writeFileAtomic: could not write /s/.x.tmp: full'), /^Not saved: the disk holding the study is full\. Free some space.*nothing saved before was lost\. \(DISK_FULL\)$/],
    [new VoxlabError('DISK_FULL', 'labels.set: audit row not written', { auditOnly: true }), /^The audit log could not record this: the disk .* is full.*was saved/],
    [new VoxlabError('STUDY_BUSY', 'labels.set: the study is busy'), /^The study is busy .*nothing was changed\. Try again in a moment\. \(STUDY_BUSY\)$/],
    [new Error('plain'), /^plain$/],
    [new VoxlabError('BAD_ARGUMENT', 'classes.update: key 1 already sets the class "0"'), /^key 1 already sets the class "0" \(BAD_ARGUMENT\)$/],
    ['text', /^text$/],
  ] as const)('%s', (e, pattern) => {
    expect(describeError(e)).toMatch(pattern);
  });
});

describe('describeScanError', () => {
  it.each([
    [new VoxlabError('NOT_FOUND', '/s/a.nii does not exist', { path: '/s/a.nii' }), /\/s\/a\.nii is missing.*moved, renamed or deleted.*choose it again/],
    [new VoxlabError('NOT_FOUND', 'no image "a"'), /no longer in this study/],
    [new VoxlabError('IO_ERROR', 'datastore.volume: cannot reach the voxlab server: fetch failed'), /cannot be reached.*reconnects by itself/],
    [new VoxlabError('NIFTI_TRUNCATED', 'ends early'), /cannot be read as a volume: ends early \(NIFTI_TRUNCATED\)/],
    [new VoxlabError('INTERNAL', 'boom'), /boom \(INTERNAL\).*Choose the scan again/],
  ] as const)('%s', (e, pattern) => {
    expect(describeScanError('a', e)).toMatch(pattern);
  });
});

describe('describeError for accounts and roles (issue #13)', () => {
  it.each([
    [
      new VoxlabError('FORBIDDEN', 'ann (annotator) may not start a training run (train.start): it needs the role researcher or admin'),
      /^Not allowed for your role: ann \(annotator\) may not start a training run: it needs the role researcher or admin\. Ask an admin/,
    ],
    [new VoxlabError('UNAUTHENTICATED', 'Sign in first: this study has accounts'), /^You are not signed in: Sign in first/],
    [new VoxlabError('RATE_LIMITED', 'Too many failed sign-ins from this address: try again in 42 s'), /^Too many failed sign-ins.*42 s\.$/],
  ] as const)('%s', (e, pattern) => {
    expect(describeError(e)).toMatch(pattern);
  });
});
