// Training store: epoch rows from the core's EpochRecord JSON, live loss trace, config from the form.

import { beforeEach, describe, expect, it } from 'vitest';
import type { ModelSummary } from '../../core/api/index.js';
import { FORM_DEFAULTS, configFromForm, epochRow, isStoppedRun, useTrainStore } from './useTrainStore.js';

describe('epochRow', () => {
  it('reads train and validation metrics', () => {
    const row = epochRow(3, {
      epoch: 3,
      train: { loss: 0.5, accuracy: 0.75, n: 6 },
      val: { n: 2, loss: 0.6, accuracy: 0.5, auc: null, confusion: [[1, 0], [1, 0]] },
      seconds: 1.5,
      backend: 'tfjs-wasm',
    });
    expect(row).toEqual({
      epoch: 3,
      trainLoss: 0.5,
      trainAccuracy: 0.75,
      valLoss: 0.6,
      valAccuracy: 0.5,
      valAuc: null,
      valN: 2,
      trainN: 6,
      seconds: 1.5,
      backend: 'tfjs-wasm',
    });
  });
  it('tolerates epochs without validation and odd JSON', () => {
    expect(epochRow(1, { train: { loss: 1 }, val: null }).valLoss).toBeNull();
    expect(epochRow(2, null)).toMatchObject({ epoch: 2, trainLoss: null, backend: null });
  });
});

describe('useTrainStore', () => {
  beforeEach(() => useTrainStore.getState().reset());

  it('collects step losses and epochs of the running job, in order', () => {
    const s = useTrainStore.getState();
    s.started('job-1', 'run-1');
    s.setProgress({ phase: 'train', epoch: 1, epochs: 4, step: 1, stepsPerEpoch: 2, loss: 0.7, etaS: 9 });
    s.setProgress({ phase: 'validate', epoch: 1, epochs: 4, step: 1, stepsPerEpoch: 1, loss: 0.6, etaS: 8 });
    s.addEpoch(epochRow(2, { train: { loss: 0.4 } }));
    s.addEpoch(epochRow(1, { train: { loss: 0.6 } }));
    s.addEpoch(epochRow(2, { train: { loss: 0.3 } }));
    const t = useTrainStore.getState();
    expect(t.lossTrace).toEqual([[0.5, 0.7]]);
    expect(t.epochs.map((e) => [e.epoch, e.trainLoss])).toEqual([
      [1, 0.6],
      [2, 0.3],
    ]);
    expect(t.state).toBe('running');
  });

  it('builds the config JSON; inputs under 32 get two dense blocks', () => {
    expect(configFromForm(FORM_DEFAULTS)).toEqual({
      model: 'small',
      epochs: 5,
      batchSize: 2,
      learningRate: 1e-4,
      inputSize: 64,
      valFraction: 0.2,
      valInterval: 2,
      seed: 0,
    });
    expect(configFromForm({ ...FORM_DEFAULTS, inputSize: 16 })).toMatchObject({ modelOverrides: { blockConfig: [2, 2] } });
  });
});

describe('isStoppedRun', () => {
  const model = (id: string, config: ModelSummary['config']): ModelSummary => ({
    id,
    kind: 'classifier',
    backend: 'tfjs',
    createdAt: '2025-01-01T00:00:00Z',
    dataVersion: null,
    format: 'safetensors',
    config,
    metrics: null,
  });
  const models = [
    model('stopped', { state: 'stopped', epochs: 2, of: 9 }),
    model('training', { state: 'training' }),
    model('finished', { epochs: 5 }),
    model('imported', null),
  ];
  it.each([
    ['stopped', true],
    ['training', false],
    ['finished', false],
    ['imported', false],
    ['unknown', false],
    [null, false],
  ] as const)('%s -> %s', (id, resumable) => {
    expect(isStoppedRun(models, id)).toBe(resumable);
  });
});
