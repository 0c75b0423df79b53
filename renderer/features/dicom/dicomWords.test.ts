// DICOM and PACS errors in words: each says what happened and what to do next.

import { describe, expect, it } from 'vitest';
import { describeDicomError, type DicomContext } from './dicomWords.js';

const err = (code: string, message: string) => ({ name: 'VoxlabError', code, message });

describe('describeDicomError', () => {
  it.each<[unknown, DicomContext, RegExp]>([
    [err('REMOTE_UNREACHABLE', 'pacs.search: no answer from http://pacs:8042 after 3 tries'), 'pacs', /^The PACS cannot be reached: no answer from http:\/\/pacs:8042 after 3 tries\. Check the DICOMweb URL/],
    [err('REMOTE_UNREACHABLE', 'the PACS at http://pacs:8042 did not answer after 4 tries'), 'pacs', /^The PACS at http:\/\/pacs:8042 did not answer after 4 tries\. Check the DICOMweb URL/],
    [err('REMOTE_REFUSED', 'HTTP 401'), 'pacs', /refused the request: HTTP 401\. .*Authorization header/],
    [err('REMOTE_ERROR', 'HTTP 500 from QIDO-RS'), 'seg', /answered with an error: HTTP 500 from QIDO-RS\. .*DICOMweb root/],
    [err('BAD_ARGUMENT', 'pacs.search: url must be http(s)'), 'pacs', /cannot use these PACS settings: url must be http\(s\)/],
    [err('BAD_ARGUMENT', 'dicom.stage: x is empty'), 'upload', /^x is empty \(BAD_ARGUMENT\)$/],
    [err('INTERNAL', 'pacs.search is not wired yet'), 'pacs', /cannot do that yet \(pacs\.search is not wired yet\)/],
    [err('IO_ERROR', 'cannot reach the voxlab server (Failed to fetch)'), 'upload', /voxlab server cannot be reached.*Try again/],
    [err('IO_ERROR', 'cannot reach the voxlab server'), 'pacs', /^The voxlab server cannot be reached, so the PACS cannot be searched or imported from\. .*Try again once the connection is back\.$/],
    [
      err('NOT_A_VOLUME', 'None of the uploaded files is a DICOM file (no DICM marker): choose the folder of a DICOM series'),
      'import',
      /^None of the uploaded files is a DICOM file .*\(NOT_A_VOLUME\)$/,
    ],
    [err('CANCELLED', 'stopped'), 'import', /^Cancelled/],
  ])('%j in %s', (e, context, want) => {
    expect(describeDicomError(e, context)).toMatch(want);
  });
});
