// An open study: the object callers hold. Each method is one transaction (or one read) of the operation of
// the same name in this folder, where the contract is documented; this class only binds them to a study.

import { addImage } from './addImages.js';
import type { AddImageOptions } from './addImages.js';
import { getClassLabel, getLabelHistory, listLabelClasses, setClassLabel } from './classLabels.js';
import { addClass, getClass, listClasses, updateClass } from './classes.js';
import type { AddClassInput, ClassRecord, ClassUpdate, UpdateClassInput } from './classes.js';
import { getExplanation, listExplanations, recordExplanation } from './explanations.js';
import type { ExplanationInput, ExplanationRecord } from './explanations.js';
import type { ClassLabelState, ClassLabelVersion, SetClassLabelOptions } from './classLabels.js';
import { dataVersion } from './dataVersion.js';
import { getImage, listImages } from './images.js';
import type { ImageRecord, ImageStatus } from './images.js';
import { getLabelmap, getLabelmapHistory, saveLabelmap } from './labelmaps.js';
import type { LabelmapInput, LabelmapVersion, SaveLabelmapOptions } from './labelmaps.js';
import type { StudyHandle } from './layout.js';
import { getModel, getRunMetrics, listModels, recordModel, recordRunMetrics } from './models.js';
import type { Json, ModelInput, ModelRecord, RunMetrics } from './models.js';
import { getPrediction, listPredictions, recordPrediction } from './predictions.js';
import type { PredictionInput, PredictionRecord } from './predictions.js';
import { SCHEMA_VERSION } from './schema.js';
import { listSegments, setSegment } from './segments.js';
import type { SegmentRecord, SetSegmentInput } from './segments.js';
import type { SqliteDb } from './sqlite.js';

/** Facts about a study. */
export interface StudyInfo {
  /** Absolute path of the study folder. */
  readonly dir: string;
  readonly name: string;
  /** ISO 8601, UTC. */
  readonly createdAt: string;
  readonly schemaVersion: number;
}

/** An open study. Get one from openStudy/createStudy; call close() when done. Not safe to share across threads. */
export class Study implements StudyHandle {
  /** @internal Use openStudy/createStudy. */
  constructor(
    readonly dir: string,
    /** The open database: for this folder's modules and tests; other code goes through the methods. */
    readonly db: SqliteDb,
  ) {}

  /** Name, creation time and schema version, from the `meta` table. */
  info(): StudyInfo {
    const meta = new Map((this.db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
    return { dir: this.dir, name: meta.get('name') ?? '', createdAt: meta.get('created_at') ?? '', schemaVersion: SCHEMA_VERSION };
  }

  /** Closes the database (checkpointing the WAL). The study cannot be used afterwards. */
  close(): void {
    this.db.close();
  }

  /** See addImage in addImages.ts. */
  addImage(file: string, options?: AddImageOptions): Promise<ImageRecord> {
    return addImage(this, file, options);
  }

  /** See listImages in images.ts. */
  listImages(filter?: { readonly status?: ImageStatus }): ImageRecord[] {
    return listImages(this, filter);
  }

  /** See getImage in images.ts. */
  getImage(id: string): ImageRecord {
    return getImage(this, id);
  }

  /** See setClassLabel in classLabels.ts (throws LABEL_CONFLICT after storing a conflicting version). */
  setClassLabel(imageId: string, label: string | null, options: SetClassLabelOptions): ClassLabelVersion {
    return setClassLabel(this, imageId, label, options);
  }

  /** See getClassLabel in classLabels.ts. */
  getClassLabel(imageId: string): ClassLabelState {
    return getClassLabel(this, imageId);
  }

  /** See getLabelHistory in classLabels.ts. */
  getLabelHistory(imageId: string): ClassLabelVersion[] {
    return getLabelHistory(this, imageId);
  }

  /** See listLabelClasses in classLabels.ts. */
  listLabelClasses(): string[] {
    return listLabelClasses(this);
  }

  /** See listClasses in classes.ts. */
  listClasses(): ClassRecord[] {
    return listClasses(this);
  }

  /** See getClass in classes.ts. */
  getClass(name: string): ClassRecord {
    return getClass(this, name);
  }

  /** See addClass in classes.ts. */
  addClass(input: AddClassInput): ClassRecord {
    return addClass(this, input);
  }

  /** See updateClass in classes.ts (a rename appends label versions). */
  updateClass(input: UpdateClassInput): ClassUpdate {
    return updateClass(this, input);
  }

  /** See listSegments in segments.ts. */
  listSegments(): SegmentRecord[] {
    return listSegments(this);
  }

  /** See setSegment in segments.ts. */
  setSegment(input: SetSegmentInput): SegmentRecord {
    return setSegment(this, input);
  }

  /** See recordExplanation in explanations.ts. */
  recordExplanation(input: ExplanationInput): Promise<ExplanationRecord> {
    return recordExplanation(this, input);
  }

  /** See listExplanations in explanations.ts. */
  listExplanations(imageId: string): ExplanationRecord[] {
    return listExplanations(this, imageId);
  }

  /** See getExplanation in explanations.ts. */
  getExplanation(id: string): ExplanationRecord {
    return getExplanation(this, id);
  }

  /** See saveLabelmap in labelmaps.ts. */
  saveLabelmap(imageId: string, labelmap: LabelmapInput, options: SaveLabelmapOptions): Promise<LabelmapVersion> {
    return saveLabelmap(this, imageId, labelmap, options);
  }

  /** See getLabelmap in labelmaps.ts. */
  getLabelmap(imageId: string): LabelmapVersion | null {
    return getLabelmap(this, imageId);
  }

  /** See getLabelmapHistory in labelmaps.ts. */
  getLabelmapHistory(imageId: string): LabelmapVersion[] {
    return getLabelmapHistory(this, imageId);
  }

  /** See recordPrediction in predictions.ts. */
  recordPrediction(imageId: string, prediction: PredictionInput): PredictionRecord {
    return recordPrediction(this, imageId, prediction);
  }

  /** See getPrediction in predictions.ts. */
  getPrediction(imageId: string, modelId?: string): PredictionRecord | null {
    return getPrediction(this, imageId, modelId);
  }

  /** See listPredictions in predictions.ts. */
  listPredictions(modelId: string): PredictionRecord[] {
    return listPredictions(this, modelId);
  }

  /** See recordModel in models.ts. */
  recordModel(model: ModelInput): ModelRecord {
    return recordModel(this, model);
  }

  /** See getModel in models.ts. */
  getModel(id: string): ModelRecord {
    return getModel(this, id);
  }

  /** See listModels in models.ts. */
  listModels(): ModelRecord[] {
    return listModels(this);
  }

  /** See recordRunMetrics in models.ts. */
  recordRunMetrics(modelId: string, epoch: number, metrics: Json): RunMetrics {
    return recordRunMetrics(this, modelId, epoch, metrics);
  }

  /** See getRunMetrics in models.ts. */
  getRunMetrics(modelId: string): RunMetrics[] {
    return getRunMetrics(this, modelId);
  }

  /** See dataVersion in dataVersion.ts. */
  dataVersion(): string {
    return dataVersion(this);
  }
}
