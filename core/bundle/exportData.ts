// The data part of an exported bundle: the labeled images under neutral names (case-0001.nii.gz, ...) in
// the bundle's data folder, copied or linked, and configs/datalist.json listing them relative to the data
// root, with pseudonymous subject ids only (no image ids, file names or DICOM identifiers unless asked).

import { copyFile, mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { VoxlabError } from '../common/errors.js';
import { exportIdentities, type ImageRecord, type Study } from '../datastore/index.js';
import { niftiFiles } from '../io/readNifti.js';
import type { LabeledImage } from '../train/dataset.js';
import type { BundlePlan } from './exportPlan.js';

/** How images reach the bundle's data folder: real copies (the bundle moves alone) or symbolic links. */
export type ImageMode = 'copy' | 'link';

/** One exported image: the study's id, its file under the data root, and its datalist part. */
export interface ExportedCase {
  readonly id: string;
  /** Relative to the data root, '/' separated, e.g. 'images/case-0001.nii.gz'. */
  readonly file: string;
  readonly part: 'training' | 'validation';
}

/** One datalist item: MONAI's load_decathlon_datalist joins `image` to the data root and keeps the rest. */
export interface BundleDatalistEntry {
  image: string;
  /** Class index (the network output). */
  label: number;
  /** Pseudonymous subject id (core/datastore/pseudonyms.ts); absent for images without a PatientID. */
  subject?: string;
  image_id?: string;
  patient_id?: string;
  study_instance_uid?: string;
  series_instance_uid?: string;
}

export interface BundleDatalist {
  training: BundleDatalistEntry[];
  validation: BundleDatalistEntry[];
  /** Class index → name. */
  labels: Record<string, string>;
}

/** The ending of a NIfTI path: .nii, .nii.gz, .hdr, .hdr.gz, .img or .img.gz (lower case). */
function suffixOf(file: string): string {
  const m = /(\.(?:nii|hdr|img)(?:\.gz)?)$/i.exec(file);
  if (m === null)
    throw new VoxlabError('BAD_ARGUMENT', `exportBundle: ${file} is not a NIfTI file`, { path: file });
  return m[1]!.toLowerCase();
}

/**
 * The cases of `plan` in study id order, named case-0001... (4 digits, more when needed) with their
 * original NIfTI endings; the datalist of them. `withPhi` adds the study's image id, the PatientID and the
 * DICOM UIDs to each entry.
 */
export function buildBundleDatalist(
  study: Study,
  plan: BundlePlan,
  withPhi: boolean,
): { cases: ExportedCase[]; datalist: BundleDatalist } {
  const parts = [
    ...plan.train.map((image) => ({ image, part: 'training' as const })),
    ...plan.val.map((image) => ({ image, part: 'validation' as const })),
  ].sort((a, b) => (a.image.id < b.image.id ? -1 : a.image.id > b.image.id ? 1 : 0));
  const digits = Math.max(4, String(parts.length).length);
  const records = new Map(study.listImages().map((r) => [r.id, r]));
  const identity = exportIdentities(study);
  const datalist: BundleDatalist = {
    training: [],
    validation: [],
    labels: Object.fromEntries(plan.classes.map((c, i) => [String(i), c])),
  };
  const cases = parts.map(({ image, part }, k) => {
    const file = `images/case-${String(k + 1).padStart(digits, '0')}${suffixOf(image.path)}`;
    datalist[part].push(entry(file, image, records.get(image.id), identity, withPhi));
    return { id: image.id, file, part };
  });
  return { cases, datalist };
}

function entry(
  file: string,
  image: LabeledImage,
  record: ImageRecord | undefined,
  identity: (r: ImageRecord) => ReturnType<ReturnType<typeof exportIdentities>>,
  withPhi: boolean,
): BundleDatalistEntry {
  const e: BundleDatalistEntry = { image: file, label: image.classIndex };
  const who = record === undefined ? null : identity(record);
  if (who?.subject != null) e.subject = who.subject;
  if (withPhi) {
    e.image_id = image.id;
    if (who?.patientId != null) e.patient_id = who.patientId;
    if (who?.studyInstanceUid != null) e.study_instance_uid = who.studyInstanceUid;
    if (who?.seriesInstanceUid != null) e.series_instance_uid = who.seriesInstanceUid;
  }
  return e;
}

/**
 * Puts each case's file (both files of a .hdr/.img pair) at dataRoot/case.file, copied or as a symbolic
 * link to the absolute path of the study's file. Throws IO_ERROR naming the file that failed.
 */
export async function writeCaseFiles(
  plan: BundlePlan,
  cases: readonly ExportedCase[],
  dataRoot: string,
  mode: ImageMode,
): Promise<void> {
  const pathOf = new Map([...plan.train, ...plan.val].map((i) => [i.id, i.path]));
  for (const c of cases) {
    const source = path.resolve(pathOf.get(c.id)!);
    const target = path.join(dataRoot, ...c.file.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    const pair = niftiFiles(source);
    const targets = niftiFiles(target);
    const files: [string, string][] = [[pair.header, targets.header]];
    if (pair.img !== undefined && targets.img !== undefined) files.push([pair.img, targets.img]);
    for (const [from, to] of files) {
      try {
        if (mode === 'link') await symlink(from, to);
        else await copyFile(from, to);
      } catch (e) {
        throw new VoxlabError(
          'IO_ERROR',
          `Cannot ${mode} ${from} to ${to}: ${(e as Error).message}`,
          { path: from },
          { cause: e },
        );
      }
    }
  }
}
