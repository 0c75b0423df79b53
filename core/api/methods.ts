// The one contract (VS Code's ProxyChannel idea): every operation of the core, as a type map (ApiTypes)
// and as data (METHODS: kind, HTTP route, request schema, size limit). Both transports, the HTTP router and
// client and the Electron IPC glue, are generated from METHODS; the compile-time checks at the bottom keep
// the table and the types in step. Routes follow MONAI Label where it has one (/info, /datastore,
// /infer/{model}, /train, /activelearning/{strategy}).

import { CURATORS, EVERYONE, LABELERS, MODEL_USERS, RESEARCHERS } from './roles.js';
import type { RequestSchema } from './schema.js';
import { TEAM_METHODS, type TeamApiTypes } from './teamMethods.js';
import type {
  ActiveLearningPick,
  Role,
  Binary,
  ClassInfo,
  ClassLabelState,
  ClassLabelVersion,
  DatastoreStatus,
  DoctorInfo,
  EpochMetrics,
  ImageStatus,
  ImageSummary,
  JobInfo,
  Json,
  LabelmapMeta,
  LabelmapVersion,
  MapSummary,
  ModelExportMeta,
  ModelSummary,
  PacsSeries,
  SegExportMeta,
  SegmentInfo,
  ServerInfo,
  TrainEngine,
  TrainEngines,
  TrainStatus,
  VolumeMeta,
} from './types.js';

/** The request of a method without arguments. */
export type NoArgs = Record<never, never>;

/** How a method answers: `call` JSON, `job` a JobInfo (progress as events), `binary` metadata + bytes. */
export type MethodKind = 'call' | 'job' | 'binary';

/** The request (`req`) and answer (`res`) of every method. Binary uploads say `upload: true`. */
export interface ApiTypes extends TeamApiTypes {
  'server.info': { req: NoArgs; res: ServerInfo };
  'doctor.report': { req: NoArgs; res: DoctorInfo };
  'datastore.list': { req: { status?: ImageStatus }; res: ImageSummary[] };
  'datastore.status': { req: NoArgs; res: DatastoreStatus };
  'datastore.image': { req: { imageId: string }; res: ImageSummary };
  /** Adds a NIfTI file that lies inside the study folder (path relative to it). */
  'datastore.add': { req: { path: string; author: string; id?: string }; res: ImageSummary };
  /** Float32 voxels of one frame; see VolumeMeta for the layout. */
  'datastore.volume': { req: { imageId: string; frame?: number }; res: Binary<VolumeMeta> };
  'labels.get': { req: { imageId: string }; res: ClassLabelState };
  /** Throws LABEL_CONFLICT (details: storedVersion, currentVersion) when expectedVersion is stale; both versions are kept. */
  'labels.set': {
    req: { imageId: string; label: string | null; author: string; expectedVersion?: number; note?: string };
    res: ClassLabelVersion;
  };
  'labels.history': { req: { imageId: string }; res: ClassLabelVersion[] };
  /** The study's class names in display order (see classes.list). */
  'labels.classes': { req: NoArgs; res: string[] };
  /** The study's classes in display order, with colours, shortcut keys and label counts. */
  'classes.list': { req: NoArgs; res: ClassInfo[] };
  /** Adds a class (colour: '#rrggbb', default from the palette; key 1..9 or null, default the next free one). */
  'classes.add': {
    req: { name: string; colour?: string; key?: number | null; author: string };
    res: ClassInfo;
  };
  /**
   * Renames and/or recolours a class or changes its key. A rename appends a label version (note
   * `renamed from <old>`) to every image currently labeled with the old name, in one transaction.
   * NOT_FOUND (unknown class), ALREADY_EXISTS (new name taken), BAD_ARGUMENT (bad name/colour, key taken).
   */
  'classes.update': {
    req: { name: string; newName?: string; colour?: string; key?: number | null; author: string };
    res: ClassInfo;
  };
  /** Names and colours of labelmap values, by value. */
  'segments.list': { req: NoArgs; res: SegmentInfo[] };
  /** Names (or renames) and colours the labelmap value `value` (1..255). */
  'segments.set': { req: { value: number; name: string; colour: string; author: string }; res: SegmentInfo };
  /** Uint8 class indices of the current (or a given) labelmap version. NOT_FOUND when there is none. */
  'labelmaps.get': { req: { imageId: string; version?: number }; res: Binary<LabelmapMeta> };
  /** Upload: uint8 class indices on the image's grid (nx*ny*nz bytes). LABEL_CONFLICT like labels.set. */
  'labelmaps.save': {
    req: { imageId: string; author: string; expectedVersion?: number; note?: string };
    res: LabelmapVersion;
    upload: true;
  };
  'labelmaps.history': { req: { imageId: string }; res: LabelmapVersion[] };
  /**
   * Starts a run (config: core/train's TrainConfigInput as JSON). One training job at a time. engine 'monai':
   * the study is exported as a MONAI bundle into <study>/bundles/<runId> and trained with the server's Python
   * (see train.engines; never a path or command from the request); PYTHON_NOT_FOUND when it has none, BUNDLE_FAILED when the bundle's process fails.
   */
  'train.start': { req: { config?: Json; runId?: string; engine?: TrainEngine }; res: JobInfo };
  'train.resume': { req: { runId: string }; res: JobInfo };
  /** Cancels the running training job (it keeps its finished epochs); null when none runs. */
  'train.stop': { req: NoArgs; res: JobInfo | null };
  'train.status': { req: NoArgs; res: TrainStatus };
  /** Whether the 'monai' engine can run here (probed once; `refresh` probes again, e.g. after an install). */
  'train.engines': { req: { refresh?: boolean }; res: TrainEngines };
  'train.metrics': { req: { modelId: string }; res: EpochMetrics[] };
  'models.list': { req: NoArgs; res: ModelSummary[] };
  /** Upload an ONNX, safetensors or PyTorch (.pt/.pth, stored as safetensors) file (or name one inside the study with `path`). */
  'models.import': {
    req: {
      modelId: string;
      format: 'onnx' | 'safetensors' | 'pytorch';
      classes?: string[];
      path?: string;
      config?: Json;
    };
    res: ModelSummary;
    upload: true;
  };
  'models.export': { req: { modelId: string }; res: Binary<ModelExportMeta> };
  /** Job result: InferResult. */
  'infer.run': { req: { modelId: string; imageId: string }; res: JobInfo };
  /**
   * Job result: ExplainResult. The finished map is stored in the study (explain.list / explain.open by its
   * mapId). `source`: who asks, recorded with the map (default 'api'). `sanity`: also run the saliency
   * sanity checks with the same method (cascade: randomize the layers; data / all: also retrain a training
   * run of the study on shuffled labels), stored with the map (MapSummary.sanity).
   */
  'explain.run': {
    req: {
      modelId: string;
      imageId: string;
      method: 'occlusion' | 'gradcam' | 'gradcam++' | 'layercam';
      classIndex?: number;
      params?: Json;
      source?: 'app' | 'api';
      sanity?: 'cascade' | 'data' | 'all';
    };
    res: JobInfo;
  };
  /** Float32 map of a finished explain job, on the image's grid (VolumeMeta layout). */
  'explain.map': { req: { jobId: string }; res: Binary<VolumeMeta> };
  /** The maps stored for an image, newest first. */
  'explain.list': { req: { imageId: string }; res: MapSummary[] };
  /** Float32 values of a stored map on its image's grid (VolumeMeta layout). NOT_FOUND for an unknown id. */
  'explain.open': { req: { mapId: string }; res: Binary<VolumeMeta> };
  /** 'entropy' ranks by stored predictions (of `modelId` when given); 'tta' needs a model. */
  'active.next': {
    req: { strategy: 'first' | 'random' | 'entropy' | 'tta'; modelId?: string };
    res: ActiveLearningPick;
  };
  /**
   * Upload: one DICOM file into the upload `uploadId` (a new id starts a new upload; files kept in the study's
   * staging folder until dicom.importStaged or 24 h). Answers the upload's file count and bytes so far.
   */
  'dicom.stage': { req: { uploadId: string; name: string }; res: { uploadId: string; files: number; bytes: number }; upload: true };
  /** Job result: DicomImportReport. Converts every series in the upload (dcm2niix) and imports them; the upload is removed. */
  'dicom.importStaged': { req: { uploadId: string; author: string }; res: JobInfo };
  /**
   * The series a DICOMweb server offers (QIDO-RS), each marked imported or not. `filter`: QIDO attribute
   * matches such as { Modality: 'MR' }; `since`: YYYYMMDD, series of studies from that date on;
   * `authorization`: an Authorization header value for the PACS (kept in memory only).
   */
  'pacs.search': {
    req: { url: string; filter?: Json; since?: string; authorization?: string };
    res: PacsSeries[];
  };
  /** Job result: DicomImportReport. Imports the server's series not yet in the study (all, or `series` UIDs). */
  'pacs.import': {
    req: { url: string; filter?: Json; since?: string; authorization?: string; series?: string[]; author: string };
    res: JobInfo;
  };
  /** A DICOM SEG (binary segmentation) of the current or a given labelmap version, referencing the source series. */
  'seg.export': { req: { imageId: string; version?: number }; res: Binary<SegExportMeta> };
  /** Job result: SegExportMeta. Sends the SEG to a DICOMweb server (STOW-RS). */
  'seg.send': { req: { imageId: string; version?: number; url: string; authorization?: string }; res: JobInfo };
  /** A JSON report of an image's series: UIDs, class label and history, predictions, segment volumes. */
  'report.series': { req: { imageId: string }; res: Json };
  'jobs.list': { req: NoArgs; res: JobInfo[] };
  'jobs.get': { req: { jobId: string }; res: JobInfo };
  'jobs.cancel': { req: { jobId: string }; res: JobInfo };
}

export type MethodName = keyof ApiTypes;
export type Req<M extends MethodName> = ApiTypes[M]['req'];
export type Res<M extends MethodName> = ApiTypes[M]['res'];
/** True for methods whose request carries bytes (labelmaps.save, models.import). */
export type IsUpload<M extends MethodName> = ApiTypes[M] extends { upload: true } ? true : false;

/** One row of the method table. */
export interface MethodSpec {
  readonly kind: MethodKind;
  /** 'VERB /path' with {field} path parameters taken from the request. */
  readonly http: `${'GET' | 'POST' | 'PUT' | 'DELETE'} /${string}`;
  readonly request: RequestSchema;
  /** The request carries bytes: HTTP body = bytes, arguments in the query string; IPC: an ArrayBuffer. */
  readonly upload?: boolean;
  /** Largest request body in bytes (default MAX_JSON_BODY). */
  readonly maxBytes?: number;
  /** Events it may send while it runs (jobs). */
  readonly events?: readonly string[];
  /** The roles allowed to call it (issue #13); both transports refuse the others (FORBIDDEN). */
  readonly roles: readonly Role[];
  /** A write recorded in the audit log (who, when, target, versions before and after). */
  readonly audit?: true;
  readonly summary: string;
}

/** Default limit for a JSON request body (1 MiB). */
export const MAX_JSON_BODY = 1 << 20;
const NONE = {} as const;
const IMAGE = { imageId: 'id' } as const;
const JOB_EVENTS = ['job'] as const;

/** The method table. Keys are `group.name`; clients expose them as api.group.name(args[, bytes]). */
export const METHODS = {
  'server.info': {
    kind: 'call',
    http: 'GET /info',
    request: NONE,
    roles: EVERYONE, summary: 'server, study, labels, models and methods',
  },
  'doctor.report': {
    kind: 'call',
    http: 'GET /doctor',
    request: NONE,
    roles: EVERYONE, summary: 'compute backends, threads, ONNX Runtime',
  },
  'datastore.list': {
    kind: 'call',
    http: 'GET /datastore',
    request: { status: { enum: ['unlabeled', 'labeled', 'predicted'], optional: true } },
    roles: EVERYONE, summary: 'images with status, label and versions',
  },
  'datastore.status': {
    kind: 'call',
    http: 'GET /datastore/status',
    request: NONE,
    roles: EVERYONE, summary: 'counts by status and label',
  },
  'datastore.image': {
    kind: 'call',
    http: 'GET /datastore/images/{imageId}',
    request: IMAGE,
    roles: EVERYONE, summary: 'one image',
  },
  'datastore.add': {
    kind: 'call',
    http: 'POST /datastore/images',
    request: { path: 'string', author: 'string', id: 'id?' },
    roles: RESEARCHERS, audit: true, summary: 'add a NIfTI file found inside the study folder',
  },
  'datastore.volume': {
    kind: 'binary',
    http: 'GET /datastore/images/{imageId}/volume',
    request: { imageId: 'id', frame: 'int?' },
    roles: EVERYONE, summary: 'voxels as float32 + metadata',
  },
  'labels.get': {
    kind: 'call',
    http: 'GET /datastore/images/{imageId}/label',
    request: IMAGE,
    roles: EVERYONE, summary: 'current class label',
  },
  'labels.set': {
    kind: 'call',
    http: 'PUT /datastore/images/{imageId}/label',
    request: {
      imageId: 'id',
      label: 'string|null',
      author: 'string',
      expectedVersion: 'int?',
      note: 'string?',
    },
    roles: LABELERS, audit: true, summary: 'set or clear the class label (409 LABEL_CONFLICT on a stale version; both kept)',
  },
  'labels.history': {
    kind: 'call',
    http: 'GET /datastore/images/{imageId}/label/history',
    request: IMAGE,
    roles: EVERYONE, summary: 'every class label version',
  },
  'labels.classes': {
    kind: 'call',
    http: 'GET /datastore/classes',
    request: NONE,
    roles: EVERYONE, summary: 'the class names, in display order',
  },
  'classes.list': {
    kind: 'call',
    http: 'GET /classes',
    request: NONE,
    roles: EVERYONE, summary: 'classes with colour, shortcut key and label count, in display order',
  },
  'classes.add': {
    kind: 'call',
    http: 'POST /classes',
    request: { name: 'string', colour: 'string?', key: 'int|null?', author: 'string' },
    roles: CURATORS, audit: true, summary: 'add a class',
  },
  'classes.update': {
    kind: 'call',
    http: 'PUT /classes/{name}',
    request: {
      name: 'string',
      newName: 'string?',
      colour: 'string?',
      key: 'int|null?',
      author: 'string',
    },
    roles: CURATORS, audit: true, summary: 'rename (relabels current labels as new versions), recolour or re-key a class',
  },
  'segments.list': {
    kind: 'call',
    http: 'GET /segments',
    request: NONE,
    roles: EVERYONE, summary: 'names and colours of labelmap values',
  },
  'segments.set': {
    kind: 'call',
    http: 'PUT /segments/{value}',
    request: { value: 'int', name: 'string', colour: 'string', author: 'string' },
    roles: LABELERS, audit: true, summary: 'name and colour a labelmap value (1..255)',
  },
  'labelmaps.get': {
    kind: 'binary',
    http: 'GET /datastore/images/{imageId}/labelmap',
    request: { imageId: 'id', version: 'int?' },
    roles: EVERYONE, summary: 'labelmap voxels as uint8 + metadata',
  },
  'labelmaps.save': {
    kind: 'call',
    http: 'PUT /datastore/images/{imageId}/labelmap',
    request: { imageId: 'id', author: 'string', expectedVersion: 'int?', note: 'string?' },
    upload: true,
    maxBytes: 2 ** 28,
    roles: LABELERS, audit: true, summary: 'save a new labelmap version (uint8 body on the image grid)',
  },
  'labelmaps.history': {
    kind: 'call',
    http: 'GET /datastore/images/{imageId}/labelmap/history',
    request: IMAGE,
    roles: EVERYONE, summary: 'every labelmap version',
  },
  'train.start': {
    kind: 'job',
    http: 'POST /train',
    request: { config: 'json?', runId: 'id?', engine: { enum: ['voxlab', 'monai'], optional: true } },
    events: [...JOB_EVENTS, 'train.progress', 'train.epoch'],
    roles: RESEARCHERS, audit: true, summary: 'start a training run',
  },
  'train.resume': {
    kind: 'job',
    http: 'POST /train/{runId}/resume',
    request: { runId: 'id' },
    events: [...JOB_EVENTS, 'train.progress', 'train.epoch'],
    roles: RESEARCHERS, audit: true, summary: 'continue a stopped run from its last epoch',
  },
  'train.stop': {
    kind: 'call',
    http: 'DELETE /train',
    request: NONE,
    roles: RESEARCHERS, audit: true, summary: 'stop the running training job',
  },
  'train.status': {
    kind: 'call',
    http: 'GET /train',
    request: NONE,
    roles: EVERYONE, summary: 'the active training job and recorded runs',
  },
  'train.engines': {
    kind: 'call',
    http: 'GET /train/engines',
    request: { refresh: 'boolean?' },
    roles: EVERYONE, summary: 'whether a Python with PyTorch and MONAI is found for the MONAI engine',
  },
  'train.metrics': {
    kind: 'call',
    http: 'GET /train/{modelId}/metrics',
    request: { modelId: 'id' },
    roles: EVERYONE, summary: 'per-epoch metrics of a run',
  },
  'models.list': { kind: 'call', http: 'GET /models', request: NONE, roles: EVERYONE, summary: 'models with metrics' },
  'models.import': {
    kind: 'call',
    http: 'POST /models/{modelId}',
    request: {
      modelId: 'id',
      format: { enum: ['onnx', 'safetensors', 'pytorch'] },
      classes: 'string[]?',
      path: 'string?',
      config: 'json?',
    },
    upload: true,
    maxBytes: 2 ** 30,
    roles: RESEARCHERS, audit: true, summary: 'import an ONNX, safetensors or PyTorch .pt model (body, or a path inside the study)',
  },
  'models.export': {
    kind: 'binary',
    http: 'GET /models/{modelId}/export',
    request: { modelId: 'id' },
    roles: RESEARCHERS, audit: true, summary: 'the model file',
  },
  'infer.run': {
    kind: 'job',
    http: 'POST /infer/{modelId}',
    request: { modelId: 'id', imageId: 'id' },
    events: JOB_EVENTS,
    roles: MODEL_USERS, audit: true, summary: 'class probabilities of one image',
  },
  'explain.run': {
    kind: 'job',
    http: 'POST /explain/{modelId}',
    request: {
      modelId: 'id',
      imageId: 'id',
      method: { enum: ['occlusion', 'gradcam', 'gradcam++', 'layercam'] },
      classIndex: 'int?',
      params: 'json?',
      source: { enum: ['app', 'api'], optional: true },
      sanity: { enum: ['cascade', 'data', 'all'], optional: true },
    },
    events: [...JOB_EVENTS, 'maps.changed'],
    roles: MODEL_USERS, audit: true, summary: 'occlusion sensitivity, Grad-CAM or LayerCAM map, stored in the study',
  },
  'explain.map': {
    kind: 'binary',
    http: 'GET /explain/{jobId}/map',
    request: { jobId: 'id' },
    roles: EVERYONE, summary: 'the map of a finished explain job',
  },
  'explain.list': {
    kind: 'call',
    http: 'GET /images/{imageId}/maps',
    request: IMAGE,
    roles: EVERYONE, summary: 'the heatmaps stored for an image, newest first',
  },
  'explain.open': {
    kind: 'binary',
    http: 'GET /maps/{mapId}',
    request: { mapId: 'id' },
    roles: EVERYONE, summary: 'a stored heatmap as float32 + metadata',
  },
  'active.next': {
    kind: 'call',
    http: 'POST /activelearning/{strategy}',
    request: { strategy: { enum: ['first', 'random', 'entropy', 'tta'] }, modelId: 'id?' },
    roles: EVERYONE, summary: 'the next image to label',
  },
  'dicom.stage': {
    kind: 'call',
    http: 'PUT /dicom/uploads/{uploadId}',
    request: { uploadId: 'id', name: 'string' },
    upload: true,
    maxBytes: 2 ** 30,
    roles: RESEARCHERS, summary: 'add one DICOM file to an upload',
  },
  'dicom.importStaged': {
    kind: 'job',
    http: 'POST /dicom/uploads/{uploadId}/import',
    request: { uploadId: 'id', author: 'string' },
    events: [...JOB_EVENTS, 'datastore.changed'],
    roles: RESEARCHERS, audit: true, summary: 'convert and import the DICOM series of an upload',
  },
  'pacs.search': {
    kind: 'call',
    http: 'POST /pacs/search',
    request: { url: 'string', filter: 'json?', since: 'string?', authorization: 'string?' },
    roles: RESEARCHERS, summary: 'series on a DICOMweb server (QIDO-RS)',
  },
  'pacs.import': {
    kind: 'job',
    http: 'POST /pacs/import',
    request: { url: 'string', filter: 'json?', since: 'string?', authorization: 'string?', series: 'string[]?', author: 'string' },
    events: [...JOB_EVENTS, 'datastore.changed'],
    roles: RESEARCHERS, audit: true, summary: 'import new series from a DICOMweb server (QIDO-RS + WADO-RS)',
  },
  'seg.export': {
    kind: 'binary',
    http: 'GET /datastore/images/{imageId}/seg',
    request: { imageId: 'id', version: 'int?' },
    roles: MODEL_USERS, audit: true, summary: 'the labelmap as a DICOM SEG file',
  },
  'seg.send': {
    kind: 'job',
    http: 'POST /datastore/images/{imageId}/seg/send',
    request: { imageId: 'id', version: 'int?', url: 'string', authorization: 'string?' },
    events: JOB_EVENTS,
    roles: MODEL_USERS, audit: true, summary: 'send the labelmap as DICOM SEG to a DICOMweb server (STOW-RS)',
  },
  'report.series': {
    kind: 'call',
    http: 'GET /datastore/images/{imageId}/report',
    request: IMAGE,
    roles: EVERYONE, summary: 'a JSON report of the series: UIDs, labels, predictions, segments',
  },
  'jobs.list': { kind: 'call', http: 'GET /jobs', request: NONE, roles: EVERYONE, summary: 'recent jobs' },
  'jobs.get': {
    kind: 'call',
    http: 'GET /jobs/{jobId}',
    request: { jobId: 'id' },
    roles: EVERYONE, summary: 'a job with its progress and result',
  },
  'jobs.cancel': {
    kind: 'call',
    http: 'DELETE /jobs/{jobId}',
    request: { jobId: 'id' },
    roles: RESEARCHERS, audit: true, summary: 'cancel a running job',
  },
  ...TEAM_METHODS,
} as const satisfies { readonly [M in MethodName]: MethodSpec };

/** Every method name, in table order. */
export const METHOD_NAMES = Object.keys(METHODS) as MethodName[];

/** The table row of `method`, typed as the general MethodSpec. */
export function specOf(method: MethodName): MethodSpec {
  return METHODS[method];
}

/** The version of this contract; bumped when a method changes incompatibly. */
export const API_VERSION = 1;

// ---- compile-time checks: the table and the types describe the same methods and fields ----
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Check<T extends true> = T;
type SchemaKeys<M extends MethodName> = keyof (typeof METHODS)[M]['request'];
type ReqKeys<M extends MethodName> = keyof Req<M>;
type FieldsAgree = { [M in MethodName]: Exact<SchemaKeys<M>, ReqKeys<M>> }[MethodName];
type UploadsAgree = {
  [M in MethodName]: Exact<IsUpload<M>, (typeof METHODS)[M] extends { upload: true } ? true : false>;
}[MethodName];
type KindsAgree = {
  [M in MethodName]: (typeof METHODS)[M]['kind'] extends 'binary'
    ? Res<M> extends Binary<unknown>
      ? true
      : false
    : (typeof METHODS)[M]['kind'] extends 'job'
      ? Exact<Res<M>, JobInfo>
      : true;
}[MethodName];
export type _ContractChecks = [Check<FieldsAgree>, Check<UploadsAgree>, Check<KindsAgree>];
