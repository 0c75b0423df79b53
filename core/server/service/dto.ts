// Maps core records onto the contract's shapes (no absolute server paths leave the server).

import path from 'node:path';
import type { ImageSummary, LabelmapVersion as LabelmapDto, ModelSummary } from '../../api/index.js';
import type { ImageRecord, LabelmapVersion, ModelRecord } from '../../datastore/index.js';

export function imageSummary(r: ImageRecord): ImageSummary {
  return {
    id: r.id,
    shape: r.shape,
    format: r.format,
    storage: r.storage,
    addedAt: r.addedAt,
    addedBy: r.addedBy,
    status: r.status,
    label: r.label,
    labelVersion: r.labelVersion,
    labelmapVersion: r.labelmapVersion,
    prediction: r.prediction,
    source: r.source === null ? null : dicomSource(r.source.provenance),
  };
}

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The provenance fields the API shows (core/dicom/provenance.ts writes them). */
function dicomSource(p: Readonly<Record<string, unknown>>): NonNullable<ImageSummary['source']> {
  return {
    kind: 'dicom',
    patientId: text(p.patientId),
    studyInstanceUid: text(p.studyInstanceUid),
    seriesInstanceUid: text(p.seriesInstanceUid),
    seriesNumber: typeof p.seriesNumber === 'number' ? p.seriesNumber : null,
    seriesDescription: text(p.seriesDescription),
    modality: text(p.modality),
    acquisitionDateTime: text(p.acquisitionDateTime),
  };
}

export function labelmapVersion(v: LabelmapVersion): LabelmapDto {
  return {
    imageId: v.imageId,
    version: v.version,
    shape: v.shape,
    author: v.author,
    createdAt: v.createdAt,
    note: v.note,
    conflict: v.conflict,
    expectedVersion: v.expectedVersion,
  };
}

/** 'onnx' / 'safetensors' from a weights file name; null when none. */
export function weightsFormat(file: string | null): ModelSummary['format'] {
  if (file === null) return null;
  const ext = path.extname(file).toLowerCase();
  return ext === '.onnx' ? 'onnx' : ext === '.safetensors' ? 'safetensors' : null;
}

export function modelSummary(m: ModelRecord): ModelSummary {
  return {
    id: m.id,
    kind: m.kind,
    backend: m.backend,
    createdAt: m.createdAt,
    dataVersion: m.dataVersion,
    format: weightsFormat(m.path),
    config: m.config,
    metrics: m.metrics,
  };
}
