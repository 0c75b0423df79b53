// The JSON report of one image's series (issue #11: "class labels and model outputs export ... at least as
// a JSON report per series that names the series UIDs"): what readers and models said about it, with the
// series named by its DICOM UIDs and the patient only by the study's pseudonym (no PHI).

import type { Json } from '../api/index.js';
import { det3, linearPart } from '../common/matrix3.js';
import type { Study } from './Study.js';
import { exportIdentities } from './pseudonyms.js';
import { readNifti } from '../io/readNifti.js';

/** Report format version: bump when a field changes meaning. */
export const SERIES_REPORT_VERSION = 1;

/**
 * The report of `imageId`: series UIDs and description (null for an image imported as NIfTI), the current
 * class label and its history, every model's stored prediction, the current segmentation's segments with
 * voxel counts and volumes (mL), and the stored explanation maps. NOT_FOUND for an unknown image.
 */
export async function seriesReport(study: Study, imageId: string): Promise<Json> {
  const image = study.getImage(imageId);
  const identity = exportIdentities(study)(image);
  const p = image.source?.provenance ?? {};
  const label = study.getClassLabel(imageId);
  const lm = study.getLabelmap(imageId);
  let segmentation: Json = null;
  if (lm !== null) {
    const volume = await readNifti(lm.path);
    const counts = new Map<number, number>();
    for (const v of volume.data) if (v !== 0) counts.set(v, (counts.get(v) ?? 0) + 1);
    const names = new Map(study.listSegments().map((s) => [s.value, s]));
    const mm3 = Math.abs(det3(linearPart(volume.affine))); // voxel volume, mm³
    segmentation = {
      version: lm.version,
      author: lm.author,
      createdAt: lm.createdAt,
      segments: [...counts.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([value, voxels]) => ({ value, name: names.get(value)?.name ?? null, voxels, volumeMl: Math.round(voxels * mm3) / 1000 })),
    };
  }
  const predictions = study
    .listModels()
    .map((m) => study.getPrediction(imageId, m.id))
    .filter((x) => x !== null)
    .map((x) => ({ modelId: x.modelId, label: x.label, classes: [...x.classes], probabilities: [...x.probabilities], createdAt: x.createdAt }));
  return {
    kind: 'voxlab.series-report',
    version: SERIES_REPORT_VERSION,
    createdAt: new Date().toISOString(),
    image: { id: image.id, shape: [...image.shape] },
    series: image.source === null ? null : {
      studyInstanceUid: identity.studyInstanceUid,
      seriesInstanceUid: identity.seriesInstanceUid,
      seriesNumber: typeof p.seriesNumber === 'number' ? p.seriesNumber : null,
      seriesDescription: typeof p.seriesDescription === 'string' ? p.seriesDescription : null,
      modality: typeof p.modality === 'string' ? p.modality : null,
    },
    subject: identity.subject,
    classLabel: { label: label.label, author: label.author, createdAt: label.createdAt, version: label.version },
    labelHistory: study.getLabelHistory(imageId).map((v) => ({ label: v.label, author: v.author, createdAt: v.createdAt, version: v.version, note: v.note })),
    predictions,
    segmentation,
    explanations: study.listExplanations(imageId).map((e) => ({ id: e.id, modelId: e.modelId, method: e.method, className: e.className, createdAt: e.createdAt })),
  } as unknown as Json;
}
