import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Study } from './Study.js';
import { makeTempDirs, studyWithImages } from './testing/fixtures.js';

const tmp = makeTempDirs();
let study: Study;
beforeEach(async () => {
  study = await studyWithImages(tmp.make(), ['a', 'b']);
});
afterEach(() => {
  study.close();
  tmp.cleanup();
});

const model = {
  id: 'densenet-1',
  kind: 'classifier',
  config: { network: 'DenseNet121', spatialSize: [96, 96, 96], lr: 1e-4 },
  metrics: { auc: 0.91, accuracy: 0.85 },
  path: 'models/densenet-1/model.onnx',
  backend: 'tfjs-wasm',
  dataVersion: 'v1-0123456789abcdef',
};

describe('models and runs', () => {
  it('records, reads back and lists models', () => {
    const rec = study.recordModel({ ...model, createdAt: '2026-01-02T03:04:05.000Z' });
    expect(rec).toEqual({ ...model, createdAt: '2026-01-02T03:04:05.000Z' });
    study.recordModel({ ...model, id: 'densenet-2', path: null, dataVersion: null });
    expect(study.getModel('densenet-1')).toEqual(rec);
    expect(study.listModels().map((m) => m.id)).toEqual(['densenet-1', 'densenet-2']);
  });

  it.each([
    ['a taken id', () => (study.recordModel(model), study.recordModel(model)), 'ALREADY_EXISTS'],
    ['NaN in metrics', () => study.recordModel({ ...model, metrics: { auc: NaN } }), 'BAD_ARGUMENT'],
    ['a Date in config', () => study.recordModel({ ...model, config: { when: new Date() as never } }), 'BAD_ARGUMENT'],
    ['an empty backend', () => study.recordModel({ ...model, backend: '' }), 'BAD_ARGUMENT'],
    ['an unknown model', () => study.getModel('nope'), 'NOT_FOUND'],
  ])('refuses %s', (_what, call, code) => {
    expect(call).toThrow(expect.objectContaining({ code }));
  });

  it('records epoch metrics in order, once per epoch', () => {
    study.recordRunMetrics('densenet-1', 1, { loss: 0.5 });
    study.recordRunMetrics('densenet-1', 0, { loss: 0.7 });
    expect(study.getRunMetrics('densenet-1').map((r) => [r.epoch, r.metrics])).toEqual([[0, { loss: 0.7 }], [1, { loss: 0.5 }]]);
    expect(() => study.recordRunMetrics('densenet-1', 1, { loss: 0.4 })).toThrow(expect.objectContaining({ code: 'ALREADY_EXISTS' }));
    expect(() => study.recordRunMetrics('densenet-1', 1.5, {})).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
    expect(study.getRunMetrics('other')).toEqual([]);
  });
});

describe('predictions', () => {
  it('keeps every prediction; the latest one shows', () => {
    study.recordPrediction('a', { modelId: 'm1', classes: ['F', 'M'], probabilities: [0.9, 0.1], label: 'F' });
    study.recordPrediction('a', { modelId: 'm2', classes: ['F', 'M'], probabilities: [0.3, 0.7], label: 'M' });
    expect(study.getPrediction('a')).toMatchObject({ modelId: 'm2', label: 'M', probabilities: [0.3, 0.7], classes: ['F', 'M'] });
    expect(study.getPrediction('a', 'm1')).toMatchObject({ modelId: 'm1', label: 'F' });
    expect(study.getPrediction('b')).toBeNull();
    expect(study.listPredictions('m1').map((p) => p.imageId)).toEqual(['a']);
  });

  it.each([
    ['a label outside the classes', { label: 'X' }, 'BAD_ARGUMENT'],
    ['too few probabilities', { probabilities: [1] }, 'SHAPE_MISMATCH'],
    ['a probability above 1', { probabilities: [1.5, 0] }, 'BAD_VALUES'],
    ['repeated classes', { classes: ['F', 'F'] }, 'BAD_ARGUMENT'],
  ])('refuses %s', (_what, change, code) => {
    const p = { modelId: 'm1', classes: ['F', 'M'], probabilities: [0.5, 0.5], label: 'F', ...change };
    expect(() => study.recordPrediction('a', p)).toThrow(expect.objectContaining({ code }));
    expect(study.getPrediction('a')).toBeNull();
  });
});

it('dataVersion changes with current labels, not with conflicts or predictions', () => {
  const v0 = study.dataVersion();
  expect(v0).toMatch(/^v1-[0-9a-f]{16}$/);
  study.setClassLabel('a', 'F', { author: 'x' });
  const v1 = study.dataVersion();
  expect(v1).not.toBe(v0);
  expect(() => study.setClassLabel('a', 'M', { author: 'y', expectedVersion: 0 })).toThrow(expect.objectContaining({ code: 'LABEL_CONFLICT' }));
  study.recordPrediction('b', { modelId: 'm', classes: ['F', 'M'], probabilities: [0, 1], label: 'M' });
  expect(study.dataVersion()).toBe(v1);
  study.setClassLabel('a', null, { author: 'x' });
  expect(study.dataVersion()).not.toBe(v1);
});
