import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isVoxlabError } from '../common/errors.js';
import {
  parseSafetensors,
  serializeSafetensors,
  type SafetensorsFile,
  type TensorToWrite,
} from './safetensors.js';
import { referenceBytes, useBackend } from './testing/backends.js';
import { toFloat32, toIntegers } from './tensorValues.js';
import { createDenseNet } from './tfModel.js';
import { loadStateDict, readWeightsFile, saveStateDict, writeWeightsFile } from './weights.js';

const TINY = { initFeatures: 8, growthRate: 4, blockConfig: [2, 2, 2, 2], bnSize: 2 };
const tiny = (seed = 0) => createDenseNet(TINY, { inputSize: [32, 32, 32], seed });
const referenceFile = () => parseSafetensors(referenceBytes('densenet_tiny.safetensors'));

/** The reference file's tensors as writable entries, edited by `edit`, serialised and parsed again. */
function editedReference(edit: (entries: Map<string, TensorToWrite>) => void): SafetensorsFile {
  const entries = new Map<string, TensorToWrite>();
  for (const [key, t] of referenceFile().tensors) {
    const data = t.dtype === 'I64' ? BigInt64Array.from(toIntegers(t), BigInt) : toFloat32(t);
    entries.set(key, { dtype: t.dtype as 'F32' | 'I64', shape: t.shape, data });
  }
  edit(entries);
  return parseSafetensors(serializeSafetensors(entries));
}

describe('loadStateDict / saveStateDict', () => {
  let dir: string;
  beforeAll(async () => {
    await useBackend('cpu');
    dir = mkdtempSync(path.join(tmpdir(), 'voxlab-weights-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('saves MONAI weights back byte for byte (names, order, PyTorch layouts, I64 counts)', () => {
    const model = tiny();
    const report = loadStateDict(model, referenceFile());
    expect(report).toMatchObject({ missing: [], unexpected: [] });
    expect(report.loaded).toHaveLength(127);
    const saved = parseSafetensors(saveStateDict(model, { source: 'test' }));
    const original = referenceFile();
    expect([...saved.tensors.keys()]).toEqual([...original.tensors.keys()]);
    for (const [key, t] of original.tensors) {
      const back = saved.tensors.get(key)!;
      expect({ key, dtype: back.dtype, shape: back.shape }).toEqual({ key, dtype: t.dtype, shape: t.shape });
      expect(Buffer.from(back.bytes).equals(Buffer.from(t.bytes)), key).toBe(true);
    }
    expect(saved.metadata).toEqual({ format: 'pt', source: 'test' });
    expect(toIntegers(saved.tensors.get('features.norm0.num_batches_tracked')!)).toEqual([0]);
    model.dispose();
  });

  it('round-trips a seeded model through a file into a differently seeded one', async () => {
    const a = tiny(1);
    const b = tiny(2);
    const file = path.join(dir, 'a.safetensors');
    a.setNumBatchesTracked('features.norm5.num_batches_tracked', 42);
    await writeWeightsFile(a, file);
    await readWeightsFile(b, file);
    for (const key of a.stateKeys) {
      if (a.entry(key).dtype === 'I64') expect(b.numBatchesTracked(key)).toBe(a.numBatchesTracked(key));
      else expect(b.readTorch(key)).toEqual(a.readTorch(key));
    }
    expect(b.numBatchesTracked('features.norm5.num_batches_tracked')).toBe(42);
    a.dispose();
    b.dispose();
  });

  it('loads F64 weights (rounded to float32)', () => {
    const model = tiny();
    const file = editedReference((entries) => {
      const w = entries.get('features.conv0.weight')!;
      entries.set('features.conv0.weight', {
        ...w,
        dtype: 'F64',
        data: Float64Array.from(w.data as Float32Array),
      });
    });
    loadStateDict(model, file);
    expect(model.readTorch('features.conv0.weight')).toEqual(
      toFloat32(referenceFile().tensors.get('features.conv0.weight')!),
    );
    model.dispose();
  });

  const drop = (key: string) => (e: Map<string, TensorToWrite>) => e.delete(key);
  const add = (key: string) => (e: Map<string, TensorToWrite>) =>
    e.set(key, { dtype: 'F32', shape: [1], data: new Float32Array(1) });
  const reshape = (key: string, shape: number[]) => (e: Map<string, TensorToWrite>) =>
    e.set(key, { dtype: 'F32', shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) });
  const retype = (key: string) => (e: Map<string, TensorToWrite>) =>
    e.set(key, { dtype: 'F32', shape: [], data: new Float32Array(1) });
  it.each<[string, (e: Map<string, TensorToWrite>) => void, boolean, RegExp | undefined]>([
    ['a missing key', drop('features.norm5.bias'), true, /1 missing: features\.norm5\.bias/],
    ['an unexpected key', add('features.extra.weight'), true, /1 unexpected: features\.extra\.weight/],
    [
      'a mis-shaped key',
      reshape('class_layers.out.weight', [3, 16]),
      true,
      /class_layers\.out\.weight: file F32 \[3, 16\], model F32 \[2, 16\]/,
    ],
    [
      'a mis-typed key',
      retype('features.norm0.num_batches_tracked'),
      true,
      /norm0\.num_batches_tracked: file F32 \[\], model I64 \[\]/,
    ],
    ['a missing key, strict: false', drop('features.norm5.bias'), false, undefined],
    ['an unexpected key, strict: false', add('features.extra.weight'), false, undefined],
    [
      'a mis-shaped key, strict: false',
      reshape('features.conv0.weight', [8, 1, 3, 3, 3]),
      false,
      /features\.conv0\.weight: file F32 \[8, 1, 3, 3, 3\]/,
    ],
  ])('handles %s', (_label, edit, strict, message) => {
    const model = tiny(5);
    const before = model.readTorch('features.conv0.weight');
    const file = editedReference(edit);
    let caught: unknown;
    try {
      loadStateDict(model, file, { strict });
    } catch (e) {
      caught = e;
    }
    if (message === undefined) {
      expect(caught).toBeUndefined();
      expect(model.readTorch('features.conv0.weight')).not.toEqual(before);
    } else {
      expect(isVoxlabError(caught) && caught.code).toBe('WEIGHTS_MISMATCH');
      expect((caught as Error).message).toMatch(message);
      expect(model.readTorch('features.conv0.weight')).toEqual(before); // all-or-nothing
    }
    model.dispose();
  });

  it('reports the strict: false load (missing and unexpected keys)', () => {
    const model = tiny();
    const report = loadStateDict(model, editedReference(drop('features.norm5.bias')), { strict: false });
    expect(report.missing).toEqual(['features.norm5.bias']);
    expect(report.loaded).toHaveLength(126);
    model.dispose();
  });

  it('loads nothing from an unrelated model and lists the first keys', () => {
    const model = createDenseNet({}, { inputSize: [32, 32, 32] });
    // DenseNet121 has every tiny key; 600 more are missing, and 105 shared ones differ in shape.
    expect(() => loadStateDict(model, referenceFile())).toThrow(
      /^The weights do not fit the model: 600 missing: features\.denseblock1\.denselayer3\.layers\.norm1\.weight; .*; and 590 more\. 105 mis-shaped or mis-typed: features\.conv0\.weight: file F32 \[8, 1, 7, 7, 7\], model F32 \[64, 1, 7, 7, 7\];/,
    );
    model.dispose();
  });

  it.each([
    ['a missing file', 'nope.safetensors', 'NOT_FOUND'],
    ['a file that is not safetensors', 'bad.safetensors', 'WEIGHTS_INVALID'],
  ])('reads %s with a coded error naming the path', async (_label, name, code) => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(dir, 'bad.safetensors'), 'hello');
    const model = tiny();
    const error = await readWeightsFile(model, path.join(dir, name)).catch((e: unknown) => e);
    expect(isVoxlabError(error) && error.code).toBe(code);
    expect((error as Error).message).toContain(name);
    model.dispose();
  });
});
