// A DICOM Part 10 file: 128-byte preamble, "DICM", the File Meta Information group (0002, always
// Explicit VR Little Endian, led by its group length) and the dataset. Layout: DICOM PS3.10 2024 7.1.

import { VoxlabError } from '../../common/errors.js';
import type { Dataset } from './dataset.js';
import { encodeDataset, type EncodeOptions } from './encodeDataset.js';
import { IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME } from './uid.js';

/** Transfer syntax UIDs (PS3.5 Annex A / PS3.6 Annex A). */
export const TRANSFER_SYNTAX = {
  implicitLittle: '1.2.840.10008.1.2',
  explicitLittle: '1.2.840.10008.1.2.1',
  deflatedExplicitLittle: '1.2.840.10008.1.2.1.99',
  explicitBig: '1.2.840.10008.1.2.2',
} as const;

const PREAMBLE = 128;

/**
 * `dataset` as a Part 10 file. The dataset must hold SOPClassUID and SOPInstanceUID (copied into the File
 * Meta as Media Storage SOP Class/Instance UID); BAD_ARGUMENT otherwise. `options.vrEncoding` picks the
 * transfer syntax: Explicit VR Little Endian (default) or Implicit VR Little Endian.
 */
export function writePart10(dataset: Dataset, options: EncodeOptions = {}): Uint8Array {
  const { SOPClassUID: sopClass, SOPInstanceUID: sopInstance } = dataset;
  if (typeof sopClass !== 'string' || typeof sopInstance !== 'string')
    throw new VoxlabError(
      'BAD_ARGUMENT',
      'writePart10: the dataset needs SOPClassUID and SOPInstanceUID strings',
    );
  const meta = encodeDataset({
    FileMetaInformationVersion: new Uint8Array([0x00, 0x01]),
    MediaStorageSOPClassUID: sopClass,
    MediaStorageSOPInstanceUID: sopInstance,
    TransferSyntaxUID:
      options.vrEncoding === 'implicit' ? TRANSFER_SYNTAX.implicitLittle : TRANSFER_SYNTAX.explicitLittle,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: IMPLEMENTATION_VERSION_NAME,
  });
  // The group length counts the bytes after its own element, up to the end of group 0002 (PS3.10 7.1).
  const groupLength = encodeDataset({ FileMetaInformationGroupLength: meta.length });
  const body = encodeDataset(dataset, options);
  const out = new Uint8Array(PREAMBLE + 4 + groupLength.length + meta.length + body.length);
  out.set([0x44, 0x49, 0x43, 0x4d], PREAMBLE); // "DICM"
  out.set(groupLength, PREAMBLE + 4);
  out.set(meta, PREAMBLE + 4 + groupLength.length);
  out.set(body, PREAMBLE + 4 + groupLength.length + meta.length);
  return out;
}
