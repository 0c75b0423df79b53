// A labelmap version as a DICOM SEG (issue #11, "Out"): the image's source instance references (recorded at
// import) place each frame on its source slice; the study's segment names and colours describe the classes.

import type { SegExportMeta } from '../api/index.js';
import { VoxlabError } from '../common/errors.js';
import { getImageRefs, type Study } from '../datastore/index.js';
import type { SeriesRefs } from './refs.js';
import { writeSeg } from './seg/writeSeg.js';
import { readNifti, readNiftiHeader } from '../io/readNifti.js';

/** Colours for labelmap values that have no segment entry (value 1 = first colour, ...). */
const FALLBACK_COLOURS = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#46f0f0', '#f032e6', '#bcf60c'];

/**
 * The DICOM SEG of `imageId`'s labelmap (the current version, or `version`) and its metadata. NOT_FOUND for
 * an unknown image or version, or an image without a labelmap; BAD_ARGUMENT for an image that did not come
 * from DICOM (nothing to reference) or an empty labelmap; writeSeg's refusals otherwise.
 */
export async function segOf(study: Study, imageId: string, version: number | undefined, author: string | null): Promise<{ meta: SegExportMeta; bytes: Uint8Array }> {
  const image = study.getImage(imageId);
  const refs = getImageRefs(study, imageId) as unknown as SeriesRefs | null;
  if (image.source === null || refs === null)
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `${imageId} was not imported from DICOM (or was imported before voxlab recorded its source images): a DICOM SEG needs the source series to refer to. Save the labelmap as NIfTI instead, or import the series again from DICOM.`,
      { imageId },
    );
  const versions = study.getLabelmapHistory(imageId);
  const lm = version === undefined ? study.getLabelmap(imageId) : versions.find((v) => v.version === version) ?? null;
  if (lm === null)
    throw new VoxlabError('NOT_FOUND', version === undefined ? `${imageId} has no saved segmentation yet: paint and save it first` : `${imageId} has no segmentation version ${version}`, { imageId, version });
  const [header, labels] = await Promise.all([readNiftiHeader(image.path), readNifti(lm.path)]);
  const labelmap = Uint8Array.from(labels.data);
  const described = new Map(study.listSegments().map((s) => [s.value, s]));
  const present = new Set(labelmap);
  present.delete(0);
  const segments = [...present].sort((a, b) => a - b).map((value) => {
    const s = described.get(value);
    return { value, label: (s?.name ?? `Segment ${value}`).slice(0, 64), colour: s?.colour ?? FALLBACK_COLOURS[(value - 1) % FALLBACK_COLOURS.length]! };
  });
  const out = writeSeg({
    labelmap,
    dims: labels.shape,
    affine: header.affine,
    segments,
    source: refs,
    seriesDescription: `voxlab segmentation v${lm.version}`,
    ...(author !== null ? { contentCreatorName: author.slice(0, 64) } : {}),
  });
  return {
    bytes: out.bytes,
    meta: {
      imageId,
      labelmapVersion: lm.version,
      fileName: `${imageId}_seg-v${lm.version}.dcm`,
      seriesInstanceUid: out.seriesInstanceUid,
      sopInstanceUid: out.sopInstanceUid,
      referencedSeriesInstanceUid: refs.seriesInstanceUid,
      segments: out.segments,
    },
  };
}
