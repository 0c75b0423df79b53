// The DICOM dataset of a SEG (writeSeg.ts chooses the frames): SOP Common, Patient, Study, Series and
// Equipment copied or set, Multi-frame Dimension, Segmentation Image, Common Instance Reference and the
// Shared / Per-Frame Functional Groups. Modules: DICOM PS3.3 2024 A.51 and the sections named below.

import type { Dataset } from '../write/dataset.js';
import { tagOf } from '../write/dictionary.js';
import { newUid } from '../write/uid.js';
import { hexToDicomLab } from './cielab.js';
import { codeItem, DERIVATION_SEGMENTATION, PURPOSE_SOURCE_FOR_PROCESSING, TISSUE } from './codes.js';
import type { FramePlan } from './segGeometry.js';
import { SEG_SOP_CLASS_UID, type SegFrameRef, type SegInput, type SegSegmentInput } from './segTypes.js';

const pad2 = (n: number) => String(n).padStart(2, '0');
function dicomDateTime(d: Date): { date: string; time: string } {
  return {
    date: `${d.getFullYear()}${pad2(d.getMonth() + 1)}${pad2(d.getDate())}`,
    time: `${pad2(d.getHours())}${pad2(d.getMinutes())}${pad2(d.getSeconds())}`,
  };
}

function segmentItem(segment: SegSegmentInput, number: number): Dataset {
  return {
    SegmentNumber: number,
    SegmentLabel: segment.label,
    SegmentAlgorithmType: 'MANUAL',
    SegmentedPropertyCategoryCodeSequence: [codeItem(segment.category ?? TISSUE)],
    SegmentedPropertyTypeCodeSequence: [codeItem(segment.type ?? TISSUE)],
    RecommendedDisplayCIELabValue: hexToDicomLab(segment.colour),
  };
}

function frameItem(frame: SegFrameRef, plan: FramePlan): Dataset {
  const slice = plan.slices[frame.slice]!;
  return {
    FrameContentSequence: [{ DimensionIndexValues: [frame.segmentNumber, slice.rank] }],
    PlanePositionSequence: [{ ImagePositionPatient: [...slice.position] }],
    DerivationImageSequence: [
      {
        DerivationCodeSequence: [codeItem(DERIVATION_SEGMENTATION)],
        SourceImageSequence: [
          {
            ReferencedSOPClassUID: frame.source.sopClassUid,
            ReferencedSOPInstanceUID: frame.source.sopInstanceUid,
            ...(frame.source.frameNumber === null ? {} : { ReferencedFrameNumber: frame.source.frameNumber }),
            PurposeOfReferenceCodeSequence: [codeItem(PURPOSE_SOURCE_FOR_PROCESSING)],
          },
        ],
      },
    ],
    SegmentIdentificationSequence: [{ ReferencedSegmentNumber: frame.segmentNumber }],
  };
}

/** The source instances this volume lies on (each once), for the Common Instance Reference Module. */
function referencedInstances(plan: FramePlan): Dataset[] {
  const seen = new Map<string, string>();
  for (const s of plan.slices) if (s.source !== null) seen.set(s.source.sopInstanceUid, s.source.sopClassUid);
  return [...seen].map(([uid, cls]) => ({ ReferencedSOPClassUID: cls, ReferencedSOPInstanceUID: uid }));
}

/** Patient, study, series, equipment and SOP Common attributes (PS3.3 A.51.3 modules other than the image). */
function commonModules(
  input: SegInput,
  uids: { seriesInstanceUid: string; sopInstanceUid: string },
): Dataset {
  const { source } = input;
  const now = dicomDateTime(new Date());
  const nonEmpty = (s: string) => (s === '' ? null : s);
  return {
    SpecificCharacterSet: 'ISO_IR 192',
    InstanceCreationDate: now.date,
    InstanceCreationTime: now.time,
    SOPClassUID: SEG_SOP_CLASS_UID,
    SOPInstanceUID: uids.sopInstanceUid,
    StudyDate: nonEmpty(source.study.date),
    SeriesDate: now.date,
    ContentDate: now.date,
    StudyTime: nonEmpty(source.study.time),
    SeriesTime: now.time,
    ContentTime: now.time,
    AccessionNumber: nonEmpty(source.study.accessionNumber),
    Modality: 'SEG',
    Manufacturer: 'voxlab',
    ReferringPhysicianName: nonEmpty(source.study.referringPhysicianName),
    ...(source.study.description === '' ? {} : { StudyDescription: source.study.description }),
    SeriesDescription: input.seriesDescription ?? 'Segmentation',
    ManufacturerModelName: 'voxlab',
    PatientName: nonEmpty(source.patient.name),
    PatientID: nonEmpty(source.patient.id),
    PatientBirthDate: nonEmpty(source.patient.birthDate),
    PatientSex: nonEmpty(source.patient.sex),
    DeviceSerialNumber: 'none', // Type 1 in Enhanced General Equipment; software has no serial number
    SoftwareVersions: input.softwareVersions ?? 'unspecified',
    StudyInstanceUID: source.studyInstanceUid,
    SeriesInstanceUID: uids.seriesInstanceUid,
    StudyID: nonEmpty(source.study.id),
    SeriesNumber: input.seriesNumber ?? 1000 + (source.seriesNumber ?? 0),
    InstanceNumber: 1,
    FrameOfReferenceUID: source.frameOfReferenceUid ?? newUid(),
    PositionReferenceIndicator: null,
  };
}

/** The two dimensions highdicom and dcmqi use: segment, then the plane's position (PS3.3 C.7.6.17). */
function dimensionModule(): Dataset {
  const dimensionOrganizationUid = newUid();
  const dimension = (pointer: number, group: number, label: string): Dataset => ({
    DimensionOrganizationUID: dimensionOrganizationUid,
    DimensionIndexPointer: [pointer],
    FunctionalGroupPointer: [group],
    DimensionDescriptionLabel: label,
  });
  return {
    DimensionOrganizationSequence: [{ DimensionOrganizationUID: dimensionOrganizationUid }],
    DimensionIndexSequence: [
      dimension(
        tagOf('ReferencedSegmentNumber'),
        tagOf('SegmentIdentificationSequence'),
        'ReferencedSegmentNumber',
      ),
      dimension(tagOf('ImagePositionPatient'), tagOf('PlanePositionSequence'), 'ImagePositionPatient'),
    ],
  };
}

/** The whole SEG dataset; PixelData is the packed frames (`pixels`). */
export function segDataset(
  input: SegInput,
  plan: FramePlan,
  segments: readonly SegSegmentInput[],
  frames: readonly SegFrameRef[],
  uids: { seriesInstanceUid: string; sopInstanceUid: string },
  pixels: Uint8Array,
): Dataset {
  return {
    ...commonModules(input, uids),
    ...dimensionModule(),
    ImageType: ['DERIVED', 'PRIMARY'],
    ReferencedSeriesSequence: [
      {
        SeriesInstanceUID: input.source.seriesInstanceUid,
        ReferencedInstanceSequence: referencedInstances(plan),
      },
    ],
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    NumberOfFrames: frames.length,
    Rows: plan.rows,
    Columns: plan.columns,
    BitsAllocated: 1,
    BitsStored: 1,
    HighBit: 0,
    PixelRepresentation: 0,
    LossyImageCompression: '00',
    SegmentationType: 'BINARY',
    SegmentSequence: segments.map((s, i) => segmentItem(s, i + 1)),
    SegmentsOverlap: 'NO',
    ContentLabel: 'SEGMENTATION',
    ContentDescription: input.seriesDescription ?? 'Segmentation',
    ContentCreatorName: input.contentCreatorName ?? null,
    SharedFunctionalGroupsSequence: [
      {
        PixelMeasuresSequence: [
          {
            PixelSpacing: [...plan.pixelSpacing],
            SliceThickness: plan.sliceSpacing,
            SpacingBetweenSlices: plan.sliceSpacing,
          },
        ],
        PlaneOrientationSequence: [{ ImageOrientationPatient: [...plan.orientation] }],
      },
    ],
    PerFrameFunctionalGroupsSequence: frames.map((f) => frameItem(f, plan)),
    PixelData: pixels,
  };
}
