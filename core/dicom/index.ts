// DICOM in: finding DICOM files in folders and converting their series with dcm2niix (WASM).

export { convertDicomBuffers, convertDicomFiles, type ConvertResult, type ConvertedSeries } from './dcm2niix.js';
export { convertDicom, type ConvertInput } from './convertInWorker.js';
export { findDicomFiles, isDicomFile } from './findDicomFiles.js';
export { PHI_FIELDS, provenanceOf, withoutPhi, type DicomProvenance } from './provenance.js';
