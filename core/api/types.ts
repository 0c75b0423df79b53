// The data that crosses the contract: plain JSON shapes (and ArrayBuffers for voxels), owned by the API so
// that the renderer never depends on core internals. The service maps core records onto these.

import type { VoxlabErrorJson } from '../common/errors.js';

/** Any JSON value. */
export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

/** The status of an image: a human label exists, only a model prediction, or neither. */
export type ImageStatus = 'unlabeled' | 'labeled' | 'predicted';

/** An image of the study as clients see it (no absolute server paths). */
export interface ImageSummary {
  readonly id: string;
  /** dim[1..dim[0]] from the header, e.g. [120, 120, 90]. */
  readonly shape: readonly number[];
  readonly format: string;
  readonly storage: 'copy' | 'reference';
  readonly addedAt: string;
  readonly addedBy: string;
  readonly status: ImageStatus;
  /** The current human class label; null when never labeled or cleared. */
  readonly label: string | null;
  /** The current class label version (0 = never labeled); send it back as expectedVersion. */
  readonly labelVersion: number;
  /** The current labelmap version (0 = none). */
  readonly labelmapVersion: number;
  /**
   * Blinded reading only (reading.get().blinded): `mine` is the caller's own read (null: not read yet),
   * `done` the number of readers who read the scan, `needed` reading.readsPerScan. In a blinded study
   * `label`/`labelVersion`/`status` above are the caller's own read for an annotator, never others' answers.
   */
  readonly reading?: { readonly mine: string | null; readonly done: number; readonly needed: number };
  /** The latest model prediction (shown while no person labeled the image), or null. */
  readonly prediction: {
    readonly modelId: string;
    readonly label: string;
    readonly createdAt: string;
    /** Probability of the predicted class `label`, in [0, 1]. */
    readonly probability: number;
    /** The model's classes; `probabilities[k]` belongs to `classes[k]` (softmax, sums to 1). */
    readonly classes: readonly string[];
    readonly probabilities: readonly number[];
  } | null;
  /**
   * Where the image came from when it was not a NIfTI file: a DICOM series (patient id, study and series
   * UIDs, series number and description, modality, manufacturer, acquisition date-time); null otherwise.
   */
  readonly source?: {
    readonly kind: 'dicom';
    readonly patientId: string | null;
    readonly studyInstanceUid: string | null;
    readonly seriesInstanceUid: string | null;
    readonly seriesNumber: number | null;
    readonly seriesDescription: string | null;
    readonly modality: string | null;
    readonly acquisitionDateTime: string | null;
  } | null;
}

/** A class of the study (classification), in display order. */
export interface ClassInfo {
  readonly name: string;
  /** '#rrggbb', lower case. */
  readonly colour: string;
  /** Keyboard shortcut 1..9, or null for none. */
  readonly key: number | null;
  /** 0-based display position. */
  readonly position: number;
  /** Images whose current human class label is this class. */
  readonly count: number;
}

/** The name and colour of one labelmap value (segment), study-wide. */
export interface SegmentInfo {
  /** The labelmap voxel value, 1..255 (0 is background). */
  readonly value: number;
  readonly name: string;
  /** '#rrggbb', lower case. */
  readonly colour: string;
}

/** Explanation methods. */
export type ExplainMethodName = 'occlusion' | 'gradcam' | 'gradcam++' | 'layercam';

/**
 * The saliency sanity checks of a map (issue #16; Adebayo et al., "Sanity Checks for Saliency Maps", NeurIPS
 * 2018; core/explain/sanity): does the map change when the model's layers are randomized from the top
 * (cascade) or when the model is trained on shuffled labels (data)? The full report is params.sanity.
 */
export interface MapSanity {
  /** passed: rank correlation below `threshold` at the cascade's last step and for the shuffled-label model (where run). */
  readonly verdict: 'passed' | 'failed' | 'inconclusive';
  /** What the verdict means, for people. */
  readonly words: string;
  readonly kind: 'cascade' | 'data' | 'all';
  /** Spearman's rank correlation at the cascade's last step (every layer randomized), or null. */
  readonly lastSpearman: number | null;
  /** The same of the absolute values (a sign flip ignored; reported, not in the rule), or null. */
  readonly lastSpearmanAbs: number | null;
  /** Spearman's rank correlation with the shuffled-label model's map, or null. */
  readonly dataSpearman: number | null;
  readonly threshold: number;
  /** Per cascade step, top layer group first: the group added and the similarities to the trained map. */
  readonly steps: readonly {
    readonly layer: string;
    readonly spearman: number;
    readonly spearmanAbs: number;
    readonly ssim: number;
  }[];
}

/** A heatmap stored in the study (maps/<imageId>/<id>.nii.gz, float32 on the scan's grid and affine). */
export interface MapSummary {
  readonly id: string;
  readonly imageId: string;
  readonly modelId: string;
  readonly method: ExplainMethodName;
  /** The class explained (index into the model's classes). */
  readonly classIndex: number;
  /** Name of the class explained, when the model's classes are known. */
  readonly className: string | null;
  /** The class the model predicted for the scan, when known. */
  readonly predictedClass: string | null;
  /** The parameters as run, defaults filled in. */
  readonly params: Json;
  /** Who asked for it: the desktop app, the CLI (`voxlab explain --study`) or an API client. */
  readonly source: 'app' | 'cli' | 'api';
  /** ISO 8601, UTC. */
  readonly createdAt: string;
  /** Value range of the map. */
  readonly min: number;
  readonly max: number;
  /** How long computing it took (ms), when known. */
  readonly durationMs: number | null;
  /** The sanity checks run with the map (explain.run's `sanity`, `voxlab explain --sanity`), or null: not run. */
  readonly sanity: MapSanity | null;
}

/** Facts about the open study. */
export interface StudySummary {
  readonly name: string;
  readonly createdAt: string;
  readonly schemaVersion: number;
  /** Changes whenever labels change: ties models and results to the labels they saw. */
  readonly dataVersion: string;
}

/** GET /info (MONAI Label's /info): what this server is and offers. */
export interface ServerInfo {
  readonly name: 'voxlab';
  readonly version: string;
  readonly apiVersion: number;
  readonly study: StudySummary;
  readonly labels: readonly string[];
  readonly models: readonly string[];
  /** Every contract method with its kind and HTTP route. */
  readonly methods: readonly { readonly name: string; readonly kind: string; readonly http: string }[];
  readonly strategies: readonly string[];
  /** Operations whose engine is not in this build yet (they reject with a coded error). */
  readonly unavailable: readonly string[];
}

export interface DatastoreStatus {
  readonly total: number;
  readonly byStatus: Readonly<Record<ImageStatus, number>>;
  readonly byLabel: Readonly<Record<string, number>>;
  readonly dataVersion: string;
}

/** Voxel statistics of a volume (finite values only). p01/p99: 1st and 99th percentile, for auto window/level. */
export interface VolumeStats {
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly std: number;
  readonly p01: number;
  readonly p99: number;
}

/**
 * Metadata of a volume sent as binary. The bytes are `dtype` values in NIfTI/Fortran order, i fastest:
 * value(i, j, k) = data[i + nx * (j + ny * k)] with shape [nx, ny, nz]; little-endian.
 */
export interface VolumeMeta {
  readonly imageId: string;
  readonly shape: readonly [number, number, number];
  /** Voxel (i, j, k) → world RAS+ millimetres, row-major 4x4 (16 numbers). */
  readonly affine: readonly number[];
  /** Orientation codes of the voxel axes, e.g. 'RAS' or 'LPS'. */
  readonly axcodes: string;
  readonly dtype: 'float32' | 'uint8';
  readonly frame: number;
  readonly frames: number;
  /** Voxel sizes (mm) of the three spatial axes. */
  readonly pixdim: readonly [number, number, number];
  readonly stats: VolumeStats;
}

/** One class label version (conflict versions included in history). */
export interface ClassLabelVersion {
  readonly imageId: string;
  readonly version: number;
  readonly label: string | null;
  readonly author: string;
  readonly createdAt: string;
  readonly note: string | null;
  /** Written against a stale expectedVersion: kept, not current. */
  readonly conflict: boolean;
  readonly expectedVersion: number | null;
}

/** The current class label of an image plus conflicting answers made after it. */
export interface ClassLabelState {
  readonly imageId: string;
  readonly label: string | null;
  readonly version: number;
  readonly author: string | null;
  readonly createdAt: string | null;
  readonly pendingConflicts: readonly ClassLabelVersion[];
}

/** One labelmap version (no server path). */
export interface LabelmapVersion {
  readonly imageId: string;
  readonly version: number;
  readonly shape: readonly [number, number, number];
  readonly author: string;
  readonly createdAt: string;
  readonly note: string | null;
  readonly conflict: boolean;
  readonly expectedVersion: number | null;
}

/** Labelmap bytes' metadata: uint8 class indices in the image's voxel order (see VolumeMeta). */
export interface LabelmapMeta extends LabelmapVersion {
  readonly affine: readonly number[];
  readonly dtype: 'uint8';
}

export interface ModelSummary {
  readonly id: string;
  readonly kind: string;
  readonly backend: string;
  readonly createdAt: string;
  readonly dataVersion: string | null;
  /** The weights' format, from the file name: 'onnx', 'safetensors' or null when no weights are stored. */
  readonly format: 'onnx' | 'safetensors' | null;
  readonly config: Json;
  readonly metrics: Json;
}

export interface ModelExportMeta {
  readonly modelId: string;
  readonly format: 'onnx' | 'safetensors';
  readonly fileName: string;
}

/** The metrics of one finished epoch (as core/train records them). */
export interface EpochMetrics {
  readonly modelId: string;
  readonly epoch: number;
  readonly metrics: Json;
  readonly recordedAt: string;
}

/** Progress of a training run, after each step or validation batch. */
export interface TrainProgress {
  readonly phase: 'train' | 'validate';
  readonly epoch: number;
  readonly epochs: number;
  readonly step: number;
  readonly stepsPerEpoch: number;
  readonly loss: number;
  readonly etaS: number;
}

export interface TrainResultSummary {
  readonly modelId: string;
  readonly classes: readonly string[];
  readonly epochs: number;
  readonly bestEpoch: number | null;
  readonly backend: string;
  readonly seconds: number;
}

export interface InferResult {
  readonly imageId: string;
  readonly modelId: string;
  readonly classes: readonly string[];
  /** Softmax probabilities, index = class. */
  readonly probabilities: readonly number[];
  readonly label: string;
}

export interface ExplainResult {
  /** The stored map (explain.open, explain.list). */
  readonly mapId: string;
  readonly imageId: string;
  readonly modelId: string;
  readonly method: 'occlusion' | 'gradcam' | 'gradcam++' | 'layercam';
  readonly classIndex: number;
  /** The map's grid (the image's voxel grid) and value range; fetch the values with explain.open (or explain.map). */
  readonly shape: readonly [number, number, number];
  readonly min: number;
  readonly max: number;
  readonly params: Json;
  /** The sanity checks, when asked for (explain.run's `sanity`), else null. */
  readonly sanity: MapSanity | null;
}

export interface ActiveLearningPick {
  /** The image to label next, or null when every image is labeled. */
  readonly imageId: string | null;
  readonly strategy: string;
  /** The strategy's score of the pick (e.g. entropy in nats); null for order-based strategies. */
  readonly score: number | null;
  /** Images without a human label. */
  readonly remaining: number;
  /** Every candidate, best first (higher score = ask sooner; null = no score). */
  readonly ranking: readonly { readonly id: string; readonly score: number | null }[];
}

/** Kinds of long operations. */
export type JobKind = 'train' | 'infer' | 'explain' | 'import' | 'export';
export type JobState = 'running' | 'done' | 'failed' | 'cancelled';

/** A long operation. Progress arrives as `job` events; the result is here once state is 'done'. */
export interface JobInfo {
  readonly id: string;
  readonly kind: JobKind;
  readonly state: JobState;
  /** Fraction done in [0, 1] when known, and a line for people. */
  readonly progress: { readonly fraction: number | null; readonly message: string };
  readonly createdAt: string;
  readonly finishedAt: string | null;
  /** What started it, e.g. { modelId, imageId } or { runId }. */
  readonly subject: Json;
  readonly result: Json | null;
  readonly error: VoxlabErrorJson | null;
}

export interface TrainStatus {
  /** The running training job, if any. */
  readonly active: JobInfo | null;
  /** The most recent training job (running or finished) since the core started. */
  readonly last: JobInfo | null;
  /** Models recorded by training runs, newest last. */
  readonly runs: readonly string[];
}

/** Who trains: voxlab itself (tfjs), or the study's exported MONAI bundle with the server's own Python and MONAI. */
export type TrainEngine = 'voxlab' | 'monai';

/** The engines the server can train with besides its own (train.engines). */
export interface TrainEngines {
  /**
   * The Python with PyTorch and MONAI that the 'monai' engine runs (the server's VOXLAB_PYTHON, else python3):
   * `available` when both import; `detail` says what was found, or why not and how to get one.
   */
  readonly monai: {
    readonly available: boolean;
    readonly python: string | null;
    readonly torch: string | null;
    readonly monai: string | null;
    readonly cudaDevices: number;
    readonly detail: string;
  };
}

export interface DoctorInfo {
  readonly backend: string;
  readonly threads: number;
  readonly candidates: readonly {
    readonly name: string;
    readonly available: boolean;
    readonly reason: string;
  }[];
  readonly onnxruntime: { readonly installed: boolean; readonly detail: string };
  /**
   * The WebGPU adapter found (null when none), whether training uses it now, and a line for people (what it
   * is, or what to do to get a GPU). `software`: an adapter that runs on the CPU (SwiftShader, llvmpipe).
   */
  readonly webgpu: {
    readonly adapter: { readonly vendor: string; readonly architecture: string; readonly description: string; readonly software: boolean } | null;
    readonly inUse: boolean;
    readonly detail: string;
  };
  readonly machine: {
    readonly platform: string;
    readonly arch: string;
    readonly cores: number;
    readonly memoryGb: number;
  };
}

/** Everything the core pushes to clients (SSE on HTTP, an IPC channel in Electron). */
export type ApiEvent =
  | { readonly type: 'job'; readonly job: JobInfo }
  | { readonly type: 'train.progress'; readonly jobId: string; readonly progress: TrainProgress }
  | {
      readonly type: 'train.epoch';
      readonly jobId: string;
      readonly modelId: string;
      readonly epoch: number;
      readonly metrics: Json;
    }
  | {
      readonly type: 'label.changed';
      readonly imageId: string;
      readonly what: 'class' | 'labelmap';
      readonly version: number;
      readonly author: string;
      readonly conflict: boolean;
    }
  | { readonly type: 'datastore.changed'; readonly imageId: string }
  | { readonly type: 'classes.changed' }
  | { readonly type: 'segments.changed' }
  | { readonly type: 'maps.changed'; readonly imageId: string };

/** A binary answer: JSON metadata plus the bytes it describes. */
export interface Binary<M> {
  readonly meta: M;
  readonly data: ArrayBuffer;
}

/** What an import of DICOM series did (uploaded folder or DICOMweb). Job result of dicom.importStaged and pacs.import. */
export interface DicomImportReport {
  /** One row per volume made (dcm2niix may split one series into several: echoes, orientations, ...). */
  readonly imported: readonly { readonly imageId: string; readonly series: string }[];
  /** Series not imported, with the reason in words (already in the study, no image data, ...). */
  readonly skipped: readonly { readonly series: string; readonly reason: string }[];
  /** dcm2niix's warnings (missing slices, non-uniform spacing, ...), naming the series where it does. */
  readonly warnings: readonly string[];
}

/** A series a DICOMweb server offers (QIDO-RS), and whether this study already holds it. */
export interface PacsSeries {
  readonly studyInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly patientId: string | null;
  /** The patient's name as the PACS gives it: shown to the reader, never logged. */
  readonly patientName: string | null;
  readonly studyDate: string | null;
  readonly studyDescription: string | null;
  readonly modality: string | null;
  readonly seriesNumber: number | null;
  readonly seriesDescription: string | null;
  readonly instances: number | null;
  readonly imported: boolean;
}

/** A DICOM SEG made from a labelmap version: its UIDs and a file name. */
export interface SegExportMeta {
  readonly imageId: string;
  readonly labelmapVersion: number;
  readonly fileName: string;
  readonly seriesInstanceUid: string;
  readonly sopInstanceUid: string;
  /** The source series it references. */
  readonly referencedSeriesInstanceUid: string;
  readonly segments: number;
}

/** An account role (issue #13): annotator labels and paints; reviewer also adjudicates and sees every answer; researcher trains, explains, imports and exports models and data; admin manages accounts and the study. */
export type Role = 'annotator' | 'reviewer' | 'researcher' | 'admin';

/** Who a call runs as: an account of the study, or the implicit local user (a study without accounts, or the server's own token). */
export interface Caller {
  readonly name: string;
  readonly role: Role;
  /** 'local': no accounts, or the token `voxlab serve` made (the person who started the server). */
  readonly kind: 'account' | 'local';
}

/** An account as listed; its token is never shown again after users.add / users.rotate. */
export interface AccountInfo {
  readonly name: string;
  readonly role: Role;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly rotatedAt: string | null;
  readonly disabledAt: string | null;
}

/** One audit log row (see core/datastore/audit.ts). */
export interface AuditRow {
  readonly seq: number;
  readonly at: string;
  readonly account: string;
  readonly role: string;
  readonly method: string;
  readonly target: string | null;
  readonly beforeVersion: number | null;
  readonly afterVersion: number | null;
  readonly detail: Json | null;
  readonly hash: string;
}

/** What training learns from in a reader study: the adjudicated reference, the readers' majority, or one reader's reads. */
export type TrainingLabelSource = 'reference' | 'majority' | `reader:${string}`;

/** How a study is read (issue #13). */
export interface ReadingSettings {
  /** Each reader sees only their own answers; labels.get/set/history are the caller's own reads. Needs accounts. */
  readonly blinded: boolean;
  /** Independent reads each scan needs (1..20). */
  readonly readsPerScan: number;
  /** What training uses; default 'reference'. */
  readonly trainingLabels: TrainingLabelSource;
}

/** One reader's read of a scan (a version of their answer; the latest counts). */
export interface ReadInfo {
  readonly imageId: string;
  readonly reader: string;
  readonly label: string | null;
  readonly version: number;
  readonly createdAt: string;
}
