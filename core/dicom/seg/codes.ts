// Coded concepts a DICOM SEG uses (Code Sequence Macro, PS3.3 Table 8.8-1): the generic SNOMED CT
// categories and types voxlab writes when a segment has none of its own, and the DCM codes of derivation.

/** A coded concept: (CodeValue, CodingSchemeDesignator, CodeMeaning). */
export interface Code {
  readonly value: string;
  readonly scheme: string;
  readonly meaning: string;
}

/**
 * SCT 85756007 "Tissue": the generic category AND type voxlab gives a painted segment (as 3D Slicer's
 * default segment and dcmqi's examples do), since a label name alone says nothing certain about anatomy.
 * From PS3.16 CID 7150 "Segmentation Property Categories" / CID 7151 types.
 */
export const TISSUE: Code = { value: '85756007', scheme: 'SCT', meaning: 'Tissue' };
/** SCT 49755003 "Morphologically Altered Structure" (CID 7150): the category for lesions. */
export const MORPHOLOGICALLY_ALTERED_STRUCTURE: Code = {
  value: '49755003',
  scheme: 'SCT',
  meaning: 'Morphologically Altered Structure',
};
/** SCT 52988006 "Lesion" (CID 7151 via CID 7159). */
export const LESION: Code = { value: '52988006', scheme: 'SCT', meaning: 'Lesion' };

/** DCM 113076 "Segmentation" (CID 7203 "Image Derivation"): how a SEG frame derives from its source. */
export const DERIVATION_SEGMENTATION: Code = { value: '113076', scheme: 'DCM', meaning: 'Segmentation' };
/** DCM 121322 (CID 7202 "Source Image Purposes of Reference"). */
export const PURPOSE_SOURCE_FOR_PROCESSING: Code = {
  value: '121322',
  scheme: 'DCM',
  meaning: 'Source image for image processing operation',
};

/** A Code as a Code Sequence item. */
export function codeItem(code: Code): {
  CodeValue: string;
  CodingSchemeDesignator: string;
  CodeMeaning: string;
} {
  return { CodeValue: code.value, CodingSchemeDesignator: code.scheme, CodeMeaning: code.meaning };
}
