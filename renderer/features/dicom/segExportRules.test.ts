// The SEG buttons work for a scan imported from DICOM with a saved labelmap, and say why not otherwise.

import { describe, expect, it } from 'vitest';
import type { ImageSummary } from '../../../core/api/index.js';
import { segButtonsState } from './segExportRules.js';

const dicomSource = {
  kind: 'dicom',
  patientId: 'P1',
  studyInstanceUid: '1.2',
  seriesInstanceUid: '1.2.3',
  seriesNumber: 19,
  seriesDescription: 't1',
  modality: 'MR',
  acquisitionDateTime: null,
} as const;

const image = (source: ImageSummary['source']): ImageSummary => ({
  id: 'scan',
  shape: [8, 8, 8],
  format: 'nifti',
  storage: 'copy',
  addedAt: '',
  addedBy: 'a',
  status: 'unlabeled',
  label: null,
  labelVersion: 0,
  labelmapVersion: 0,
  prediction: null,
  source,
});

describe('segButtonsState', () => {
  it.each([
    ['no scan open', undefined, 1, false, false, /Open a scan first/],
    ['a NIfTI scan', image(null), 1, false, false, /not imported from DICOM/],
    ['a scan without source field', image(undefined), 1, false, false, /not imported from DICOM/],
    ['no series UID', image({ ...dicomSource, seriesInstanceUid: null }), 1, false, false, /series UID .* unknown/],
    ['no saved labelmap', image(dicomSource), 0, false, false, /No labelmap saved yet/],
    ['a save in flight', image(dicomSource), 2, true, false, /Wait until the labelmap is saved/],
    ['a SEG task running', image(dicomSource), 2, false, true, /being made or sent/],
  ])('disabled for %s, saying why', (_case, img, savedVersion, saving, busy, why) => {
    const state = segButtonsState({ image: img, savedVersion, saving, busy });
    expect(state.enabled).toBe(false);
    expect(state.why).toMatch(why);
  });

  it('enabled for a DICOM scan with a saved labelmap', () => {
    expect(segButtonsState({ image: image(dicomSource), savedVersion: 1, saving: false, busy: false })).toEqual({ enabled: true, why: null });
  });
});
