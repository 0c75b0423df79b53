// generateCohort: writes a synthetic study folder (images, masks, labels.csv, cohort.json) for the demo
// and for scoring explanations against a known planted region. See index.ts for the phantom model.

import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { VoxlabError } from '../common/errors.js';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { encodeNifti, type EncodeNiftiOptions, type NiftiImage } from '../io/writeNifti.js';
import {
  CLASS_NAMES,
  planCohort,
  type CohortOptions,
  type CohortPlan,
  type PlannedSubject,
} from './cohortPlan.js';
import { generatePhantom, type Phantom } from './generatePhantom.js';
import { gridAffine } from './grid.js';
import type { ResolvedPhantomOptions } from './params.js';
import { LESION_JITTER_MM, LESION_NOMINAL_CENTRE_MM } from './subject.js';

/** Reported after each subject's image and mask are on disk. */
export interface CohortProgress {
  readonly done: number;
  readonly total: number;
  /** The subject just written, e.g. 'synth_004'. */
  readonly subject: string;
}

export interface GenerateCohortOptions extends CohortOptions {
  readonly onProgress?: (progress: CohortProgress) => void;
  /** Stops between subjects with VoxlabError CANCELLED; files already written stay. */
  readonly signal?: AbortSignal;
}

type Vec3 = [number, number, number];

/** One subject in cohort.json. Paths are relative to the cohort folder, with '/' separators. */
export interface CohortSubjectRecord {
  readonly subject: string;
  readonly file: string;
  readonly mask: string;
  readonly label: 0 | 1;
  readonly group: (typeof CLASS_NAMES)[number];
  /** The seed that regenerates this subject with generatePhantom({ seed, label, ...options }). */
  readonly seed: number;
  readonly pose: { readonly rotationDeg: Vec3; readonly translationMm: Vec3; readonly scale: number };
  /** Where the lesion is (present) or would be (class 0: present false, the mask file is empty). */
  readonly planted: {
    readonly present: boolean;
    readonly centreVoxel: Vec3;
    readonly centreWorldMm: Vec3;
    readonly centreTemplateMm: Vec3;
    readonly radiusMm: number;
    readonly radiusWorldMm: number;
    readonly voxelCount: number;
    /** 'bright' (hyperintense) or 'dark' (hypointense); for class 0 the would-be polarity. */
    readonly polarity: 'bright' | 'dark';
    /** Lesion intensity / the subject's white matter, before blur, bias and noise. */
    readonly contrastRatio: number;
  };
  /**
   * Non-informative structures, the same whatever the label (issue #16): the 'max' sphere holds the image
   * maximum; 'bright' and 'dark' tubes (spheroids radiusMm across, halfLengthMm along axisTemplate) have
   * lesion-like intensities. Since version 3; version 2 had spheres only.
   */
  readonly distractors: readonly {
    readonly kind: 'max' | 'bright' | 'dark';
    readonly centreVoxel: Vec3;
    readonly centreWorldMm: Vec3;
    readonly radiusMm: number;
    readonly radiusWorldMm: number;
    readonly halfLengthMm: number;
    readonly axisTemplate: Vec3;
    readonly ratio: number;
  }[];
  readonly ventricleScale: readonly [number, number];
}

/** The content of cohort.json. */
export interface CohortManifest {
  readonly format: 'voxlab-synth-cohort';
  /** 2 since issue #16 (polarity, contrastRatio, distractors; the shortcut-free cohort); 3: tube distractors. */
  readonly version: 3;
  readonly seed: number;
  readonly n: number;
  readonly classBalance: number;
  readonly options: ResolvedPhantomOptions;
  /** The grid every image and mask shares: voxel → world RAS mm, 16 row-major numbers. */
  readonly affine: readonly number[];
  readonly classNames: typeof CLASS_NAMES;
  /** Units and layouts, in words, for a reader of the file. */
  readonly conventions: Readonly<Record<string, string>>;
  readonly lesionRegion: {
    readonly nominalCentreTemplateMm: Vec3;
    readonly jitterMm: number;
    readonly space: string;
  };
  readonly subjects: readonly CohortSubjectRecord[];
}

/** Rounds to 4 decimals so cohort.json stays readable (positions to 0.1 µm). */
const r4 = (x: number): number => Math.round(x * 1e4) / 1e4;
const r4v = (v: readonly number[]): Vec3 => [r4(v[0]!), r4(v[1]!), r4(v[2]!)];

function subjectRecord(s: PlannedSubject, p: Phantom): CohortSubjectRecord {
  const q = p.planted;
  return {
    subject: s.subject,
    file: `images/${s.subject}.nii.gz`,
    mask: `masks/${s.subject}_mask.nii.gz`,
    label: s.label,
    group: CLASS_NAMES[s.label],
    seed: s.seed,
    pose: {
      rotationDeg: r4v(p.pose.rotationDeg),
      translationMm: r4v(p.pose.translationMm),
      scale: r4(p.pose.scale),
    },
    planted: {
      present: q.present,
      centreVoxel: r4v(q.centreVoxel),
      centreWorldMm: r4v(q.centreWorldMm),
      centreTemplateMm: r4v(q.centreTemplateMm),
      radiusMm: r4(q.radiusMm),
      radiusWorldMm: r4(q.radiusMm * p.pose.scale),
      voxelCount: q.voxelCount,
      polarity: q.polarity,
      contrastRatio: r4(q.contrastRatio),
    },
    distractors: p.distractors.map((d) => ({
      kind: d.kind,
      centreVoxel: r4v(d.centreVoxel),
      centreWorldMm: r4v(d.centreWorldMm),
      radiusMm: r4(d.radiusMm),
      radiusWorldMm: r4(d.radiusMm * p.pose.scale),
      halfLengthMm: r4(d.halfLengthMm),
      axisTemplate: r4v(d.axisTemplate),
      ratio: r4(d.ratio),
    })),
    ventricleScale: [r4(p.anatomy.ventricleScale[0]), r4(p.anatomy.ventricleScale[1])],
  };
}

const gzipAsync = promisify(gzip);

/**
 * writeNifti's output (encodeNifti bytes, gzipped with zlib's defaults, written atomically), but gzipped
 * on libuv's thread pool: writeNifti compresses synchronously, and compression is half the cost of a
 * subject, so this lets the next subject be generated on the main thread meanwhile (two cores busy).
 * Same zlib, same options: the bytes equal writeNifti's (checked in generateCohort.test.ts).
 */
async function writeNiftiGz(file: string, image: NiftiImage, options: EncodeNiftiOptions): Promise<void> {
  const raw = encodeNifti(image, { ...options, compress: false });
  await writeFileAtomic(file, await gzipAsync(raw));
}

async function writeSubject(outDir: string, record: CohortSubjectRecord, p: Phantom): Promise<void> {
  const description = `voxlab synth ${record.subject} ${record.group}`;
  const grid = { shape: p.shape, affine: p.affine };
  await Promise.all([
    writeNiftiGz(path.join(outDir, record.file), { ...grid, data: p.image }, { description }),
    writeNiftiGz(
      path.join(outDir, record.mask),
      { ...grid, data: p.mask },
      { description: `${description} mask`, intent: 'label' },
    ),
  ]);
}

function buildManifest(plan: CohortPlan, records: CohortSubjectRecord[]): CohortManifest {
  const { shape, voxelSizeMm, orientation } = plan.options;
  return {
    format: 'voxlab-synth-cohort',
    version: 3,
    seed: plan.seed,
    n: plan.n,
    classBalance: plan.classBalance,
    options: plan.options,
    affine: [...gridAffine(shape, voxelSizeMm, orientation)],
    classNames: CLASS_NAMES,
    conventions: {
      voxels: 'NIfTI/Fortran order, i fastest; centreVoxel is a fractional (i, j, k) index',
      world: 'millimetres, RAS+ (x = Right, y = Anterior, z = Superior); affine is row-major 4x4',
      images: 'int16, T1-like arbitrary units, white matter about 1000 before the bias field',
      masks: 'uint8, 1 = planted lesion; all 0 for class 0 (planted.present false gives where it would be)',
      pose: 'world = translationMm + scale * Rz * Ry * Rx * template, rotations in degrees',
      lesion:
        'planted: a sphere, centreVoxel/centreWorldMm and radiusWorldMm (radiusMm in template mm); polarity ' +
        'bright or dark, contrastRatio = lesion / white matter before blur, bias and noise',
      distractors:
        'spheres in both classes, never within 6 mm of the lesion: kind max holds the image maximum, ' +
        'bright/dark ones have lesion-like intensities (ratio x 1000 before gain, bias and noise)',
    },
    lesionRegion: {
      nominalCentreTemplateMm: [...LESION_NOMINAL_CENTRE_MM],
      jitterMm: LESION_JITTER_MM,
      space: 'template mm, RAS+, origin at the head centre, before each subject pose',
    },
    subjects: records,
  };
}

/** cohort.json text: two-space indented, with arrays of numbers kept on one line. */
export function cohortJson(manifest: CohortManifest): string {
  const text = JSON.stringify(manifest, null, 2);
  return (
    text.replace(
      /\[\s+(-?[\d.e+-]+(?:,\s+-?[\d.e+-]+)*)\s+\]/g,
      (_m, inner: string) => `[${inner.split(/,\s+/).join(', ')}]`,
    ) + '\n'
  );
}

/** labels.csv: `file,subject,label,group,mask`, one row per subject, '\n' line ends. */
export function labelsCsv(records: readonly CohortSubjectRecord[]): string {
  const rows = records.map((r) => [r.file, r.subject, r.label, r.group, r.mask].join(','));
  return ['file,subject,label,group,mask', ...rows].join('\n') + '\n';
}

/**
 * Generates `options.n` phantoms and writes, under `outDir` (created if missing):
 * `images/synth_000.nii.gz` (int16 T1-like image), `masks/synth_000_mask.nii.gz` (uint8, 1 = planted
 * lesion, all 0 for class 0; same grid and affine), `labels.csv` and `cohort.json` (written last).
 * Deterministic: the same seed and options give byte-identical files. The next subject is generated on
 * the main thread while the previous one is gzipped on the thread pool (two cores busy). Progress is
 * reported after each subject's two files are on disk.
 * Throws VoxlabError BAD_ARGUMENT for bad options (before touching the disk), IO_ERROR, or CANCELLED
 * (checked between subjects; files already written stay, cohort.json is not written).
 */
export async function generateCohort(
  outDir: string,
  options: GenerateCohortOptions,
): Promise<CohortManifest> {
  if (typeof outDir !== 'string' || outDir === '') {
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `generateCohort: outDir must be a folder path, got ${String(outDir)}`,
    );
  }
  const plan = planCohort(options);
  const { onProgress, signal } = options;
  for (const dir of ['images', 'masks']) await fsp.mkdir(path.join(outDir, dir), { recursive: true });
  const records: CohortSubjectRecord[] = [];
  let pending: Promise<void> = Promise.resolve();
  for (const s of plan.subjects) {
    const phantom = generatePhantom({ ...plan.options, seed: s.seed, label: s.label });
    await pending; // the previous subject's files: compressed while this one was generated
    if (signal?.aborted)
      throw new VoxlabError('CANCELLED', `generateCohort: cancelled after ${records.length} subjects`);
    const record = subjectRecord(s, phantom);
    records.push(record);
    pending = writeSubject(outDir, record, phantom).then(() =>
      onProgress?.({ done: s.index + 1, total: plan.n, subject: s.subject }),
    );
  }
  await pending;
  const manifest = buildManifest(plan, records);
  await writeFileAtomic(path.join(outDir, 'labels.csv'), labelsCsv(records));
  await writeFileAtomic(path.join(outDir, 'cohort.json'), cohortJson(manifest));
  return manifest;
}
