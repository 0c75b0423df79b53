// Exports a study's current labels: a MONAI datalist (the Decathlon-style JSON that MONAI's
// load_decathlon_datalist reads) for training elsewhere, and a plain CSV for people and spreadsheets.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { VoxlabError, assert } from '../common/errors.js';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { getClassLabel, listLabelClasses } from './classLabels.js';
import { toCsv } from './csv.js';
import { listImages } from './images.js';
import type { ImageRecord } from './images.js';
import { getLabelmap } from './labelmaps.js';
import type { StudyHandle } from './layout.js';
import { exportIdentities } from './pseudonyms.js';

/** A MONAI datalist: {"training": [{"image", "label"}], "validation"?: [...]}, plus "labels" (index → class) for classes. */
export interface MonaiDatalist {
  training: DatalistEntry[];
  validation?: DatalistEntry[];
  labels?: Record<string, string>;
}

/**
 * One datalist item. `subject`: the pseudonymous patient id (exports carry no PHI); the DICOM identifiers
 * only when asked (withPhi). MONAI's load_decathlon_datalist keeps extra keys as they are.
 */
export interface DatalistEntry {
  image: string;
  label: string | number;
  subject?: string;
  patient_id?: string;
  study_instance_uid?: string;
  series_instance_uid?: string;
}

/** How to build a datalist. */
export interface DatalistOptions {
  /** 'class' (default): label = the class; 'segmentation': label = the current labelmap file. */
  readonly kind?: 'class' | 'segmentation';
  /** 'relative' (default): paths relative to the output folder, with '/'; 'absolute'. */
  readonly paths?: 'absolute' | 'relative';
  /** Ids of images for "validation"; the other labeled images go to "training". */
  readonly validationIds?: readonly string[];
  /** For 'class': 'index' (default; position in the sorted class list, what MONAI's losses want) or 'name'. */
  readonly labelAs?: 'index' | 'name';
  /** Also the PatientID and the study and series UIDs of DICOM images (PHI: only when the user asked). */
  readonly withPhi?: boolean;
}

function pathFor(file: string, baseDir: string, mode: 'absolute' | 'relative'): string {
  return mode === 'absolute' ? file : path.relative(baseDir, file).split(path.sep).join('/');
}

/**
 * The datalist of the images with a current human label (a class, or a labelmap for 'segmentation'), in id
 * order; relative paths are relative to `baseDir`. Throws NOT_FOUND for an unknown validation id and
 * BAD_ARGUMENT for a validation image without that kind of label.
 */
export function buildDatalist(h: StudyHandle, baseDir: string, options: DatalistOptions = {}): MonaiDatalist {
  const kind = options.kind ?? 'class';
  const mode = options.paths ?? 'relative';
  assert(kind === 'class' || kind === 'segmentation', () => `buildDatalist: kind must be 'class' or 'segmentation', got ${JSON.stringify(kind)}`);
  assert(mode === 'absolute' || mode === 'relative', () => `buildDatalist: paths must be 'absolute' or 'relative', got ${JSON.stringify(mode)}`);
  const base = path.resolve(baseDir);
  const images = listImages(h);
  const classes = listLabelClasses(h);
  const identity = exportIdentities(h);
  const withOrigin = (img: ImageRecord, e: DatalistEntry): DatalistEntry => {
    const id = identity(img);
    if (id.subject !== null) e.subject = id.subject;
    if (options.withPhi === true) {
      if (id.patientId !== null) e.patient_id = id.patientId;
      if (id.studyInstanceUid !== null) e.study_instance_uid = id.studyInstanceUid;
      if (id.seriesInstanceUid !== null) e.series_instance_uid = id.seriesInstanceUid;
    }
    return e;
  };
  const entry = (img: ImageRecord): DatalistEntry | null => {
    if (kind === 'segmentation') {
      const lm = img.labelmapVersion > 0 ? getLabelmap(h, img.id) : null;
      return lm === null ? null : withOrigin(img, { image: pathFor(img.path, base, mode), label: pathFor(lm.path, base, mode) });
    }
    if (img.label === null) return null;
    return withOrigin(img, { image: pathFor(img.path, base, mode), label: options.labelAs === 'name' ? img.label : classes.indexOf(img.label) });
  };
  const validation = new Set(options.validationIds ?? []);
  const known = new Set(images.map((i) => i.id));
  for (const id of validation) {
    if (!known.has(id)) throw new VoxlabError('NOT_FOUND', `buildDatalist: validation image "${id}" is not in the study`, { imageId: id });
  }
  const list: MonaiDatalist = { training: [] };
  if (validation.size > 0) list.validation = [];
  for (const img of images) {
    const e = entry(img);
    if (validation.has(img.id)) {
      assert(e !== null, () => `buildDatalist: validation image "${img.id}" has no ${kind === 'class' ? 'class label' : 'labelmap'}`);
      list.validation!.push(e);
    } else if (e !== null) list.training.push(e);
  }
  if (kind === 'class' && options.labelAs !== 'name') list.labels = Object.fromEntries(classes.map((c, k) => [String(k), c]));
  return list;
}

/** Writes buildDatalist's JSON to `outFile` atomically (folder made if missing; relative paths relative to it) and returns it. */
export async function writeDatalist(h: StudyHandle, outFile: string, options: DatalistOptions = {}): Promise<MonaiDatalist> {
  const file = path.resolve(outFile);
  const list = buildDatalist(h, path.dirname(file), options);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, `${JSON.stringify(list, null, 2)}\n`);
  return list;
}

/**
 * Writes `image,label,author,updated_at,subject` for every image (id order) to `outFile` atomically (folder
 * made if missing): the image path (relative to the CSV's folder by default, so the file can be imported
 * again), the current class label (empty when none or cleared), who set it and when (ISO 8601), and the
 * pseudonymous subject (empty for images without a PatientID). `withPhi` adds patient_id,
 * study_instance_uid and series_instance_uid. Returns the number of rows.
 */
export async function exportLabelsCsv(
  h: StudyHandle,
  outFile: string,
  options: { readonly paths?: 'absolute' | 'relative'; readonly withPhi?: boolean } = {},
): Promise<number> {
  const file = path.resolve(outFile);
  const mode = options.paths ?? 'relative';
  assert(mode === 'absolute' || mode === 'relative', () => `exportLabelsCsv: paths must be 'absolute' or 'relative', got ${JSON.stringify(mode)}`);
  const identity = exportIdentities(h);
  const phi = options.withPhi === true;
  const rows = listImages(h).map((img) => {
    const state = getClassLabel(h, img.id);
    const id = identity(img);
    const row = [pathFor(img.path, path.dirname(file), mode), state.label, state.author, state.createdAt, id.subject];
    return phi ? [...row, id.patientId, id.studyInstanceUid, id.seriesInstanceUid] : row;
  });
  const header = ['image', 'label', 'author', 'updated_at', 'subject'];
  await mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, toCsv(phi ? [...header, 'patient_id', 'study_instance_uid', 'series_instance_uid'] : header, rows));
  return rows.length;
}
