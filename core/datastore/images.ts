// Reading the study's images: one record per image with where its file is, its current class label,
// labelmap version, latest prediction and the status that follows from them.

import path from 'node:path';
import { VoxlabError, assert } from '../common/errors.js';
import { WINDOWS_RESERVED, checkImageId, parseJsonColumn } from './layout.js';
import type { StudyHandle } from './layout.js';
import { CURRENT_CLASS_LABELS } from './classRegistry.js';

/**
 * `labeled`: a person gave a class label (not cleared) or painted a labelmap. `predicted`: no human label,
 * but a model predicted one. `unlabeled`: neither.
 */
export const IMAGE_STATUSES = ['unlabeled', 'labeled', 'predicted'] as const;
export type ImageStatus = (typeof IMAGE_STATUSES)[number];

/** An image of the study as listed to users and callers. */
export interface ImageRecord {
  readonly id: string;
  /** Absolute path of the image file now (copied: inside the study's images/ folder). */
  readonly path: string;
  readonly storage: 'copy' | 'reference';
  /** As stored: 'images/<file>' for copies; for references absolute or relative to the study folder. */
  readonly storedPath: string;
  /** The absolute path the image was added from. */
  readonly sourcePath: string;
  readonly format: string;
  /** dim[1..dim[0]] from the header, e.g. [120, 120, 90]. */
  readonly shape: readonly number[];
  readonly addedAt: string;
  readonly addedBy: string;
  readonly status: ImageStatus;
  /** The current human class label; null when never labeled or cleared. */
  readonly label: string | null;
  /** The current class label version (0 = never labeled). */
  readonly labelVersion: number;
  /** The current labelmap version (0 = none). */
  readonly labelmapVersion: number;
  /** The latest model prediction, if any: `probability` is that of `label`; probabilities[k] belongs to classes[k]. */
  readonly prediction: {
    readonly modelId: string;
    readonly label: string;
    readonly createdAt: string;
    readonly probability: number;
    readonly classes: readonly string[];
    readonly probabilities: readonly number[];
  } | null;
  /** Where it came from when not a NIfTI file: a DICOM series' provenance (see imageSources.ts), else null. */
  readonly source: { readonly kind: 'dicom'; readonly provenance: Readonly<Record<string, unknown>> } | null;
}

interface ImageRow {
  id: string;
  storage: 'copy' | 'reference';
  path_stored: string;
  source_path: string;
  format: string;
  shape: string;
  added_at: string;
  added_by: string;
  label: string | null;
  label_version: number;
  labelmap_version: number;
  p_model: string | null;
  p_label: string | null;
  p_at: string | null;
  p_classes: string | null;
  p_probabilities: string | null;
  s_kind: 'dicom' | null;
  s_provenance: string | null;
}

// Current = the latest version not flagged as a conflict (see classLabels.ts).
const SELECT_IMAGES = `
  SELECT i.id, i.storage, i.path_stored, i.source_path, i.format, i.shape, i.added_at, i.added_by,
         cl.label, COALESCE(cl.version, 0) AS label_version, COALESCE(lv.v, 0) AS labelmap_version,
         p.model_id AS p_model, p.label AS p_label, p.created_at AS p_at,
         p.classes AS p_classes, p.probabilities AS p_probabilities,
         src.kind AS s_kind, src.provenance AS s_provenance
  FROM images i
  LEFT JOIN image_sources src ON src.image_id = i.id
  LEFT JOIN ${CURRENT_CLASS_LABELS} cl ON cl.image_id = i.id
  LEFT JOIN (SELECT image_id, MAX(version) AS v FROM labelmaps WHERE conflict = 0 GROUP BY image_id) lv ON lv.image_id = i.id
  LEFT JOIN (SELECT image_id, MAX(id) AS pid FROM predictions GROUP BY image_id) pl ON pl.image_id = i.id
  LEFT JOIN predictions p ON p.id = pl.pid`;

function toRecord(h: StudyHandle, r: ImageRow): ImageRecord {
  const human = r.label !== null || r.labelmap_version > 0;
  const status: ImageStatus = human ? 'labeled' : r.p_model !== null ? 'predicted' : 'unlabeled';
  return {
    id: r.id,
    path: path.isAbsolute(r.path_stored) ? r.path_stored : path.resolve(h.dir, r.path_stored),
    storage: r.storage,
    storedPath: r.path_stored,
    sourcePath: r.source_path,
    format: r.format,
    shape: parseJsonColumn<number[]>(r.shape, 'image shape'),
    addedAt: r.added_at,
    addedBy: r.added_by,
    status,
    label: r.label,
    labelVersion: r.label_version,
    labelmapVersion: r.labelmap_version,
    prediction: r.p_model === null ? null : predictionOf(r),
    source: r.s_kind === null ? null : { kind: r.s_kind, provenance: parseJsonColumn<Record<string, unknown>>(r.s_provenance!, 'image source') },
  };
}

function predictionOf(r: ImageRow): NonNullable<ImageRecord['prediction']> {
  const classes = parseJsonColumn<string[]>(r.p_classes!, 'prediction classes');
  const probabilities = parseJsonColumn<number[]>(r.p_probabilities!, 'prediction probabilities');
  const k = classes.indexOf(r.p_label!);
  return { modelId: r.p_model!, label: r.p_label!, createdAt: r.p_at!, probability: probabilities[k] ?? 0, classes, probabilities };
}

/** Lists the study's images ordered by id, optionally only those with one status. */
export function listImages(h: StudyHandle, filter: { readonly status?: ImageStatus } = {}): ImageRecord[] {
  assert(filter.status === undefined || IMAGE_STATUSES.includes(filter.status), () => `listImages: unknown status ${JSON.stringify(filter.status)}`);
  const rows = h.db.prepare(`${SELECT_IMAGES} ORDER BY i.id`).all() as ImageRow[];
  const records = rows.map((r) => toRecord(h, r));
  return filter.status === undefined ? records : records.filter((r) => r.status === filter.status);
}

/** The image with this id (exact, case-sensitive). Throws NOT_FOUND. */
export function getImage(h: StudyHandle, id: string): ImageRecord {
  checkImageId('getImage', id);
  const row = h.db.prepare(`${SELECT_IMAGES} WHERE i.id = ?`).get(id) as ImageRow | undefined;
  if (row === undefined) throw new VoxlabError('NOT_FOUND', `The study has no image "${id}"`, { imageId: id });
  return toRecord(h, row);
}

/** The image file name ending voxlab keeps when copying: '.nii.gz', '.nii', '.hdr' or '.hdr.gz'. */
export function niftiSuffix(file: string): string {
  const m = /(\.nii\.gz|\.nii|\.hdr\.gz|\.hdr)$/i.exec(file);
  assert(m !== null, () => `niftiSuffix: ${file} does not end in .nii, .nii.gz or .hdr`);
  return m[1]!.toLowerCase();
}

/**
 * The id an image file suggests: its name without the NIfTI ending, other characters than letters, digits,
 * '.', '_' and '-' replaced by '_' (e.g. 't1/IXI012-HH-1211_T1.nii.gz' → 'IXI012-HH-1211_T1'); names Windows
 * reserves (CON, NUL, ...) get a trailing '_'.
 */
export function imageIdFromFileName(file: string): string {
  const stem = path.basename(file).replace(/(\.nii\.gz|\.nii|\.hdr\.gz|\.hdr|\.img\.gz|\.img)$/i, '');
  const cleaned = stem.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[^A-Za-z0-9]+/, '').replace(/\.+$/, '').slice(0, 120);
  if (cleaned.length === 0) return 'image';
  return WINDOWS_RESERVED.test(cleaned) ? `${cleaned}_` : cleaned;
}

/**
 * `base`, or `base-2`, `base-3`, ... : the first id not used by the study nor in `taken` (compared without
 * case, since ids name folders). Adds the result to `taken` (lower-cased).
 */
export function allocateImageId(h: StudyHandle, base: string, taken: Set<string>): string {
  const exists = h.db.prepare('SELECT 1 FROM images WHERE id = ? COLLATE NOCASE');
  for (let n = 1; ; n++) {
    const id = n === 1 ? base : `${base}-${n}`;
    if (!taken.has(id.toLowerCase()) && exists.get(id) === undefined) {
      taken.add(id.toLowerCase());
      return id;
    }
  }
}
