// refs.ts against DCMTK's dcmdump on every file of the MPRAGE (Explicit VR), the TCIA slices (Implicit
// VR) and an enhanced multi-frame MR; seriesRefs' JSON; and null, fast, for garbage and damaged files.

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../common/random.js';
import { readInstanceRef, seriesRefs, type InstanceRef } from './refs.js';
import { writePart10 } from './write/writePart10.js';

const DICOM = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'dicom');
const MPRAGE = path.join(DICOM, 'trio_b17_t1_mprage');
const TCIA = path.join(DICOM, 'tcia_vs_seg_001_t1_mpr_tra_3slices');
const ENHANCED = path.join(DICOM, 'edge_single_files', 'niivue_enhanced_multiframe_fmri_enh.dcm');

const filesOf = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.dcm'))
    .sort()
    .map((f) => path.join(dir, f));

/** Top-level values of the given tags per file, as dcmdump prints them (+L: long values in full). */
function dcmdump(files: readonly string[], tags: readonly string[]): Map<string, Record<string, string>> {
  const run = spawnSync('dcmdump', ['-q', '-Un', '+F', '+L', ...tags.flatMap((t) => ['+P', t]), ...files], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (run.error !== undefined) throw run.error;
  const out = new Map<string, Record<string, string>>();
  let current: Record<string, string> = {};
  for (const line of run.stdout.split('\n')) {
    const file = /^# dcmdump \(\d+\/\d+\): (.*)$/.exec(line);
    if (file) out.set(file[1]!, (current = {}));
    const value = /^\(([0-9a-f]{4},[0-9a-f]{4})\) \w\w \[(.*?)\]/.exec(line);
    if (value) current[value[1]!] ??= value[2]!;
  }
  return out;
}

const numbers = (s: string | undefined) => (s === undefined ? null : s.split('\\').map(Number));
const TAGS = [
  '0008,0016',
  '0008,0018',
  '0020,000d',
  '0020,000e',
  '0020,0052',
  '0020,0032',
  '0020,0037',
  '0020,0013',
];

describe('readInstanceRef against dcmdump', () => {
  it.each([
    ['the MPRAGE (176 files, Explicit VR)', MPRAGE, 176],
    ['the TCIA slices (Implicit VR)', TCIA, 3],
  ])('%s', (_name, dir, count) => {
    const files = filesOf(dir);
    expect(files).toHaveLength(count);
    const expected = dcmdump(files, TAGS);
    for (const file of files) {
      const ref = readInstanceRef(new Uint8Array(readFileSync(file)));
      const want = expected.get(file)!;
      expect(ref, file).not.toBeNull();
      expect(ref!.sopClassUid).toBe(want['0008,0016']);
      expect(ref!.sopInstanceUid).toBe(want['0008,0018']);
      expect(ref!.studyInstanceUid).toBe(want['0020,000d']);
      expect(ref!.seriesInstanceUid).toBe(want['0020,000e']);
      expect(ref!.frameOfReferenceUid).toBe(want['0020,0052']);
      expect(ref!.imagePositionPatient).toEqual(numbers(want['0020,0032']));
      expect(ref!.imageOrientationPatient).toEqual(numbers(want['0020,0037']));
      expect(ref!.instanceNumber).toBe(Number(want['0020,0013']));
      expect(ref!.numberOfFrames).toBe(1);
      expect(ref!.frames).toBeNull();
    }
  });

  it('reads the patient and study attributes a SEG copies, with rows and columns', () => {
    const ref = readInstanceRef(new Uint8Array(readFileSync(path.join(MPRAGE, '00001.dcm'))))!;
    expect(ref.patient).toEqual({
      name: 'Upgrade Test^Rorden',
      id: 'Rorden Lab',
      birthDate: '19701112',
      sex: 'M',
    });
    expect(ref.study).toEqual({
      date: '20100723',
      time: '080842.687000',
      id: '1',
      accessionNumber: '',
      referringPhysicianName: '',
      description: 'Rorden_0001^basic',
    });
    expect([ref.rows, ref.columns, ref.seriesNumber, ref.mosaic]).toEqual([256, 256, 19, false]);
  });

  it('reads the per-frame positions of an enhanced multi-frame MR', () => {
    const ref = readInstanceRef(new Uint8Array(readFileSync(ENHANCED)))!;
    const run = spawnSync('dcmdump', ['-q', '+p', '+P', '0020,0032', '+P', '0020,0037', ENHANCED], {
      encoding: 'utf8',
    });
    const perFrame = (tag: string) =>
      run.stdout
        .split('\n')
        .filter((l) => l.startsWith(`(5200,9230).`) && l.includes(`(${tag})`))
        .map((l) => numbers(/\[(.*?)\]/.exec(l)![1]));
    expect(ref.numberOfFrames).toBe(6);
    expect(ref.imagePositionPatient).toBeNull();
    expect(ref.frames!.map((f) => f.position)).toEqual(perFrame('0020,0032'));
    expect(ref.frames!.map((f) => f.orientation)).toEqual(perFrame('0020,0037'));
    const refs = seriesRefs([ref]);
    expect(refs.instances.map((i) => i.frameNumber)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new Set(refs.instances.map((i) => i.sopInstanceUid)).size).toBe(1);
  });
});

describe('seriesRefs', () => {
  const refs = filesOf(MPRAGE).map((f) => readInstanceRef(new Uint8Array(readFileSync(f)))!);

  it('gathers one series in Instance Number order, JSON-safe', () => {
    const series = seriesRefs([...refs].reverse());
    expect(series.instances).toHaveLength(176);
    expect(series.instances[0]!.sopInstanceUid).toBe(
      refs.find((r) => r.instanceNumber === 1)!.sopInstanceUid,
    );
    expect(
      series.instances.every((i) => i.position !== null && i.orientation !== null && i.frameNumber === null),
    ).toBe(true);
    expect(series.seriesInstanceUid).toBe('1.3.12.2.1107.5.2.32.35389.2010072308581490237297697.0.0.0');
    expect(series.patient.id).toBe('Rorden Lab');
    expect(JSON.parse(JSON.stringify(series))).toEqual(series);
  });

  it('refuses no instances and instances of two series, in words', () => {
    expect(() => seriesRefs([])).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
    const other: InstanceRef = { ...refs[0]!, seriesInstanceUid: '1.2.3' };
    expect(() => seriesRefs([refs[0]!, other])).toThrow(
      expect.objectContaining({ code: 'BAD_ARGUMENT', message: expect.stringMatching(/2 series/) }),
    );
  });

  it('leaves a mosaic unplaced (its position is the tile grid, not a slice)', () => {
    const file = filesOf(path.join(DICOM, 'edge_dcm_qa_sag_fmri_mosaic_SagAP'))[0]!;
    const ref = readInstanceRef(new Uint8Array(readFileSync(file)))!;
    expect(ref.mosaic).toBe(true);
    expect(ref.imagePositionPatient).not.toBeNull();
    expect(seriesRefs([ref]).instances[0]!.position).toBeNull();
  });
});

describe('null for what is not a usable DICOM header, never an exception or a hang', () => {
  const real = new Uint8Array(readFileSync(path.join(MPRAGE, '00001.dcm')));

  it.each([
    ['no bytes', new Uint8Array(0)],
    ['text', new TextEncoder().encode('hello, this is not DICOM at all '.repeat(20))],
    [
      'DICM followed by garbage',
      (() => {
        const b = new Uint8Array(2000).map((_, i) => (i * 7919) & 0xff);
        b.set([0x44, 0x49, 0x43, 0x4d], 128);
        return b;
      })(),
    ],
    ['the header cut inside the File Meta group', real.subarray(0, 200)],
    ['the header cut inside the dataset', real.subarray(0, 1000)],
    [
      'a DICOM file without a Series Instance UID',
      writePart10({ SOPClassUID: '1.2.3', SOPInstanceUID: '1.2.3.4', StudyInstanceUID: '1.2' }),
    ],
    [
      'sequences nested 50000 deep',
      (() => {
        const head = writePart10({ SOPClassUID: '1.2', SOPInstanceUID: '1.2.3' });
        const open = [
          0x08, 0x00, 0x15, 0x11, 0x53, 0x51, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0x00, 0xe0, 0xff,
          0xff, 0xff, 0xff,
        ];
        const out = new Uint8Array(head.length + open.length * 50000);
        out.set(head);
        for (let i = 0; i < 50000; i++) out.set(open, head.length + i * open.length);
        return out;
      })(),
    ],
  ])('%s', (_name, bytes) => {
    expect(readInstanceRef(bytes)).toBeNull();
  });

  const pixelsAt = new TextDecoder('latin1').decode(real).lastIndexOf('\xe0\x7f\x10\x00');

  /** A damaged copy of the header: cut short, bytes changed, lengths made undefined, or a chunk repeated. */
  function damage(rng: SeededRandom): Uint8Array {
    const head = real.subarray(0, pixelsAt + 64);
    const at = (n: number) => Math.floor(rng.next() * n);
    const out = Uint8Array.from(head);
    switch (at(4)) {
      case 0:
        return out.subarray(0, 132 + at(head.length - 132));
      case 1:
        for (let k = 0; k < 1 + at(30); k++) out[132 + at(4000)] = at(256);
        return out;
      case 2: // an undefined length (0xFFFFFFFF) somewhere in the first 4 kB of elements
        out.set([0xff, 0xff, 0xff, 0xff], 136 + at(4000));
        return out;
      default: {
        const start = 132 + at(3000);
        const chunk = head.subarray(start, start + 1 + at(400));
        const grown = new Uint8Array(head.length + chunk.length);
        grown.set(head.subarray(0, start));
        grown.set(chunk, start);
        grown.set(head.subarray(start), start + chunk.length);
        return grown;
      }
    }
  }

  it('gives null or a reference for 1000 seeded damaged headers, within seconds', () => {
    const rng = new SeededRandom(11);
    const start = performance.now();
    const outcomes = { null: 0, ref: 0 };
    for (let i = 0; i < 1000; i++) outcomes[readInstanceRef(damage(rng)) === null ? 'null' : 'ref']++;
    expect(outcomes.null).toBeGreaterThan(100);
    expect(outcomes.ref).toBeGreaterThan(100);
    expect(performance.now() - start).toBeLessThan(5_000);
  });

  it('reads only the header: the pixels may be missing entirely', () => {
    expect(pixelsAt).toBeGreaterThan(10_000);
    expect(readInstanceRef(real.subarray(0, pixelsAt))?.sopInstanceUid).toBe(
      readInstanceRef(real)!.sopInstanceUid,
    );
  });
});
