// Exports carry no PHI unless asked (issue #11): a DICOM study's CSV and datalist name a pseudonymous subject
// (stable within the study, different in another), never the PatientID, name or UIDs; --with-phi adds the
// identifiers. The import's messages never name the patient.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDicomFolder } from '../cli/commands/importDicom.js';
import { convertDicomFiles, findDicomFiles } from '../dicom/index.js';
import { exportLabelsCsv, openStudy, writeDatalist, type Study } from './index.js';

const MPRAGE = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'dicom', 'trio_b17_t1_mprage');
const root = mkdtempSync(path.join(os.tmpdir(), 'voxlab-phi-'));
const IMAGE = '19_t1_MPRAGEcr_noGRAPPA';
let patientName: string;
let patientId: string;
let seriesUid: string;
let study: Study;
let other: Study;
const said: string[] = [];

beforeAll(async () => {
  const { series } = await convertDicomFiles((await findDicomFiles(MPRAGE)).files);
  patientName = String(series[0]!.sidecar.PatientName);
  patientId = String(series[0]!.sidecar.PatientID);
  seriesUid = String(series[0]!.sidecar.SeriesInstanceUID);
  expect(patientName.length).toBeGreaterThan(2);
  study = openStudy(path.join(root, 'a'), { create: { name: 'a' } });
  other = openStudy(path.join(root, 'b'), { create: { name: 'b' } });
  for (const s of [study, other]) {
    await importDicomFolder(s, MPRAGE, { author: 'dr-a', say: (l) => said.push(l) });
    s.setClassLabel(IMAGE, 'F', { author: 'dr-a' });
  }
}, 120_000);
afterAll(() => {
  study.close();
  other.close();
  rmSync(root, { recursive: true, force: true });
});

const phiIn = (text: string) => [patientName, patientId, seriesUid].filter((v) => text.includes(v));

describe('exports and PHI', () => {
  it('write a pseudonymous subject, stable within the study, and no identifiers', async () => {
    await exportLabelsCsv(study, path.join(root, 'a1.csv'));
    await exportLabelsCsv(study, path.join(root, 'a2.csv'));
    await writeDatalist(study, path.join(root, 'a.json'));
    await exportLabelsCsv(other, path.join(root, 'b.csv'));
    const csv = readFileSync(path.join(root, 'a1.csv'), 'utf8');
    const json = readFileSync(path.join(root, 'a.json'), 'utf8');
    expect(phiIn(csv)).toEqual([]);
    expect(phiIn(json)).toEqual([]);
    const subject = /sub-[0-9a-f]{10}/.exec(csv)?.[0];
    expect(subject).toBeDefined();
    expect(JSON.parse(json).training[0].subject).toBe(subject);
    expect(readFileSync(path.join(root, 'a2.csv'), 'utf8')).toContain(subject!);
    // Another study: another key, another pseudonym for the same patient.
    expect(readFileSync(path.join(root, 'b.csv'), 'utf8')).not.toContain(subject!);
  });

  it('add PatientID and the UIDs only with PHI asked for', async () => {
    await exportLabelsCsv(study, path.join(root, 'phi.csv'), { withPhi: true });
    const list = await writeDatalist(study, path.join(root, 'phi.json'), { withPhi: true });
    const csv = readFileSync(path.join(root, 'phi.csv'), 'utf8');
    expect(csv.split('\n')[0]).toBe('image,label,author,updated_at,subject,patient_id,study_instance_uid,series_instance_uid');
    expect(csv).toContain(patientId);
    expect(csv).toContain(seriesUid);
    expect(list.training[0]).toMatchObject({ patient_id: patientId, series_instance_uid: seriesUid });
    // The patient's name is never exported, even with PHI: it identifies nobody in a research table.
    expect(csv).not.toContain(patientName);
  });

  it('the import never says the patient name', () => {
    expect(said.length).toBeGreaterThan(0);
    expect(said.filter((l) => l.includes(patientName))).toEqual([]);
  });
});
