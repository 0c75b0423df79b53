// When the SEG buttons of the segmentation panel work (issue #11): a DICOM SEG references its source series,
// so the open scan must have come from DICOM with a known SeriesInstanceUID, and it is made from a saved
// labelmap version. Otherwise the buttons are disabled and their title says why.

import type { ImageSummary } from '../../../core/api/index.js';

export interface SegButtonsInput {
  /** The open scan's summary (undefined: none open, or not in the list yet). */
  readonly image: ImageSummary | undefined;
  /** The scan's saved labelmap version (0 = none saved). */
  readonly savedVersion: number;
  /** A save of the labelmap is in flight (the SEG would miss the newest strokes). */
  readonly saving: boolean;
  /** A SEG task (file or send) runs. */
  readonly busy: boolean;
}

export interface SegButtonsState {
  readonly enabled: boolean;
  /** Why they are disabled, in words; null when enabled. */
  readonly why: string | null;
}

/** Enabled, or disabled with the reason, for "Save as DICOM SEG" and "Send SEG to PACS" alike. */
export function segButtonsState(input: SegButtonsInput): SegButtonsState {
  const off = (why: string): SegButtonsState => ({ enabled: false, why });
  const { image } = input;
  if (image === undefined) return off('Open a scan first.');
  if (image.source?.kind !== 'dicom')
    return off('This scan was not imported from DICOM: a DICOM SEG must reference its source series. Import the scan from DICOM to export its labelmap as SEG.');
  if (image.source.seriesInstanceUid === null)
    return off('The DICOM series UID of this scan is unknown, so a SEG cannot reference it.');
  if (input.savedVersion <= 0) return off('No labelmap saved yet: paint a segment first (every stroke is saved as a version).');
  if (input.saving) return off('Wait until the labelmap is saved.');
  if (input.busy) return off('A SEG is being made or sent.');
  return { enabled: true, why: null };
}
