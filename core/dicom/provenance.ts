// Where a converted series came from (patient, study, series UIDs, description, modality, date) and the
// sidecar without protected health information: what voxlab writes next to a NIfTI unless asked for PHI.

/** Identifying facts of a series, kept in the study database (never in logs or exports by default). */
export interface DicomProvenance {
  readonly patientId: string | null;
  readonly studyInstanceUid: string | null;
  readonly seriesInstanceUid: string | null;
  readonly seriesNumber: number | null;
  readonly seriesDescription: string | null;
  readonly modality: string | null;
  readonly manufacturer: string | null;
  /** ISO date-time of the acquisition, as the sidecar gives it. */
  readonly acquisitionDateTime: string | null;
}

/**
 * Sidecar fields that identify a person, a visit or a place: what dcm2niix's own BIDS anonymisation (-ba y)
 * drops (checked on the corpus: UIDs, StudyID, patient fields, AcquisitionDateTime) plus institution,
 * station, device and physician fields, and the free-text study description (sites put names in it).
 */
export const PHI_FIELDS: readonly string[] = [
  'SeriesInstanceUID',
  'StudyInstanceUID',
  'StudyID',
  'PatientName',
  'PatientID',
  'PatientBirthDate',
  'PatientSex',
  'PatientSize',
  'PatientWeight',
  'PatientAge',
  'AcquisitionDateTime',
  'StudyDescription',
  'InstitutionName',
  'InstitutionAddress',
  'InstitutionalDepartmentName',
  'StationName',
  'DeviceSerialNumber',
  'ReferringPhysicianName',
  'PerformingPhysicianName',
  'OperatorsName',
];

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The provenance fields of a dcm2niix sidecar (written with -ba n). */
export function provenanceOf(sidecar: Record<string, unknown>): DicomProvenance {
  return {
    patientId: text(sidecar.PatientID),
    studyInstanceUid: text(sidecar.StudyInstanceUID),
    seriesInstanceUid: text(sidecar.SeriesInstanceUID),
    seriesNumber: typeof sidecar.SeriesNumber === 'number' ? sidecar.SeriesNumber : null,
    seriesDescription: text(sidecar.SeriesDescription),
    modality: text(sidecar.Modality),
    manufacturer: text(sidecar.Manufacturer),
    acquisitionDateTime: text(sidecar.AcquisitionDateTime),
  };
}

/** `sidecar` without the PHI_FIELDS. */
export function withoutPhi(sidecar: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(sidecar).filter(([k]) => !PHI_FIELDS.includes(k)));
}
