// The datastore's public surface: studies (a folder + SQLite), their images, class labels with history,
// classes and segments (names, colours, keys), labelmap versions, predictions, models, stored heatmaps,
// and folder import / label export.

export { openStudy, createStudy } from './openStudy.js';
export type { CreateStudyOptions, OpenStudyOptions } from './openStudy.js';
export { Study } from './Study.js';
export type { StudyInfo } from './Study.js';
export type { AddImageOptions } from './addImages.js';
export { IMAGE_STATUSES, imageIdFromFileName } from './images.js';
export type { ImageRecord, ImageStatus } from './images.js';
export type { ClassLabelState, ClassLabelVersion, SetClassLabelOptions } from './classLabels.js';
export type { LabelmapInput, LabelmapVersion, SaveLabelmapOptions } from './labelmaps.js';
export type { AddClassInput, ClassRecord, ClassUpdate, UpdateClassInput } from './classes.js';
export { CLASS_PALETTE } from './classRegistry.js';
export type { SegmentRecord, SetSegmentInput } from './segments.js';
export { EXPLAIN_METHODS, EXPLANATION_SOURCES } from './explanations.js';
export type { ExplanationInput, ExplanationRecord } from './explanations.js';
export type { PredictionInput, PredictionRecord } from './predictions.js';
export type { Json, ModelInput, ModelRecord, RunMetrics } from './models.js';
export { importFolder } from './importFolder.js';
export { getImageRefs, getImageSource, seriesImported, type ImageSource } from './imageSources.js';
export type { ImportOptions, ImportProgress, ImportResult } from './importFolder.js';
export { FILE_COLUMNS, LABEL_COLUMNS } from './importPlan.js';
export { buildDatalist, writeDatalist, exportLabelsCsv } from './exportLabels.js';
export type { DatalistOptions, MonaiDatalist } from './exportLabels.js';
export { probeNifti } from './probeNifti.js';
export type { NiftiProbe } from './probeNifti.js';
export { STUDY_DB_FILE } from './layout.js';
export { exportIdentities, type ExportIdentity } from './pseudonyms.js';
export { SERIES_REPORT_VERSION, seriesReport } from './seriesReport.js';
