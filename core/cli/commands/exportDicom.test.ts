// `voxlab export --format seg|reports` (issue #11, "Out"): a painted labelmap of an imported DICOM series
// becomes a DICOM SEG file that dciodvfy accepts and that reads back to the same voxels; one JSON report per
// image names the series UIDs and no patient. Refusals in words.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStudy, type Study } from '../../datastore/index.js';
import { segToLabelmap } from '../../dicom/seg/segToLabelmap.js';
import { readSeg } from '../../dicom/seg/readSeg.js';
import { dciodvfy, hasDciodvfy } from '../../dicom/testing/dciodvfy.js';
import { readNiftiHeader } from '../../io/readNifti.js';
import { parseCommandArgs } from '../command.js';
import { exportCommand } from './exportLabels.js';
import { importDicomFolder } from './importDicom.js';

const MPRAGE = path.resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data', 'dicom', 'trio_b17_t1_mprage');
const IMAGE = '19_t1_MPRAGEcr_noGRAPPA';
const root = mkdtempSync(path.join(os.tmpdir(), 'voxlab-export-dicom-'));
const studyDir = path.join(root, 'study');
let painted: Uint8Array;
let shape: [number, number, number];

const run = (argv: string[]) => exportCommand.run(parseCommandArgs(exportCommand, argv));

beforeAll(async () => {
  const study: Study = openStudy(studyDir, { create: { name: 'seg export' } });
  try {
    await importDicomFolder(study, MPRAGE, { author: 'dr-a' });
    const header = await readNiftiHeader(study.getImage(IMAGE).path);
    shape = [...header.shape] as [number, number, number];
    painted = new Uint8Array(shape[0] * shape[1] * shape[2]);
    for (let z = 90; z < 110; z++) for (let y = 100; y < 140; y++) for (let x = 60; x < 100; x++) painted[x + shape[0] * (y + shape[1] * z)] = x < 80 ? 1 : 3;
    study.setSegment({ value: 1, name: 'left', colour: '#ff0000', author: 'dr-a' });
    await study.saveLabelmap(IMAGE, { shape, data: painted, affine: header.affine }, { author: 'dr-a' });
    study.setClassLabel(IMAGE, 'F', { author: 'dr-a' });
  } finally {
    study.close();
  }
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('voxlab export --format seg', () => {
  it('writes a SEG that dciodvfy accepts and that reads back to the painted voxels', async () => {
    const out = path.join(root, 'out', 'seg.dcm');
    expect(await run(['--study', studyDir, '--format', 'seg', '--image', IMAGE, '--out', out])).toBe(0);
    const bytes = new Uint8Array(readFileSync(out));
    expect(hasDciodvfy()).toBe(true); // .ci/run installs dicom3tools
    expect(dciodvfy(bytes).errors).toEqual([]);
    const info = readSeg(bytes);
    // Value 3 has no segment entry: it is exported as "Segment 3".
    expect(info.segments.map((s) => s.label)).toEqual(['left', 'Segment 3']);
    const study = openStudy(studyDir);
    try {
      const { affine } = await readNiftiHeader(study.getImage(IMAGE).path);
      const back = segToLabelmap(bytes, shape, affine, { values: new Map([[1, 1], [2, 3]]) });
      expect(Buffer.from(back).equals(Buffer.from(painted))).toBe(true);
    } finally {
      study.close();
    }
  }, 60_000);

  it('refuses without --image, for an unknown version, or without an output', async () => {
    await expect(run(['--study', studyDir, '--format', 'seg', '--out', path.join(root, 'x.dcm')])).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
    await expect(run(['--study', studyDir, '--format', 'seg', '--image', IMAGE, '--version', '9', '--out', path.join(root, 'x.dcm')])).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(run(['--study', studyDir, '--format', 'seg', '--image', IMAGE])).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
  });
});

describe('voxlab export --format reports', () => {
  it('writes one JSON per image naming the series UIDs, the label and the segments, not the patient', async () => {
    const out = path.join(root, 'reports');
    expect(await run(['--study', studyDir, '--format', 'reports', '--out', out])).toBe(0);
    const text = readFileSync(path.join(out, `${IMAGE}.json`), 'utf8');
    const report = JSON.parse(text) as Record<string, unknown>;
    expect(report).toMatchObject({
      series: { seriesNumber: 19, seriesInstanceUid: expect.stringMatching(/^1\.3\.12\./) },
      classLabel: { label: 'F' },
      segmentation: { version: 1, segments: [{ value: 1, name: 'left', voxels: 20 * 40 * 20 }, { value: 3, name: null, voxels: 20 * 40 * 20 }] },
    });
    expect(text).not.toContain('Rorden');
  });
});
