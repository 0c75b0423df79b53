import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Study } from '../datastore/index.js';
import { parseSafetensors } from '../model/index.js';
import { useBackend } from '../model/testing/backends.js';
import { readCheckpoint, runFolder } from './checkpoint.js';
import { evaluate } from './evaluate.js';
import type { TrainProgress } from './progress.js';
import { TINY_CONFIG, tempFolders, tinyStudy, writeTinyCohort } from './testing/tinyStudy.js';
import { crossValidate, resumeTraining, train } from './train.js';

const temp = tempFolders();
let cohort = '';
const studies: Study[] = [];

async function newStudy(): Promise<Study> {
  const study = await tinyStudy(cohort, path.join(temp.make('voxlab-train-'), 'study'));
  studies.push(study);
  return study;
}

/** Every tensor of a safetensors file as bytes, by name. */
function tensorsOf(file: string): Map<string, Buffer> {
  const parsed = parseSafetensors(new Uint8Array(readFileSync(file)));
  return new Map([...parsed.tensors].map(([k, t]) => [k, Buffer.from(t.bytes)]));
}

beforeAll(async () => {
  await useBackend('cpu');
  cohort = await writeTinyCohort(temp.make('voxlab-cohort-'));
});

afterAll(() => {
  for (const s of studies) s.close();
  temp.cleanup();
});

describe('train', () => {
  it('trains a tiny DenseNet end to end, lowers the loss and records the model with its checkpoints', async () => {
    const study = await newStudy();
    const events: TrainProgress[] = [];
    const result = await train(
      study,
      { ...TINY_CONFIG, epochs: 6 },
      { runId: 'tiny', onProgress: (p) => events.push(p) },
    );

    expect(result.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    // Training loss (3 steps of 2 with batch statistics: noisy) falls over the run; validation loss at each check.
    const losses = result.history.map((h) => h.train.loss);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-2)), `train losses ${losses.join(', ')}`).toBeLessThan(
      mean(losses.slice(0, 2)) * 0.85,
    );
    const valLosses = result.history.flatMap((h) => (h.val ? [h.val.loss] : []));
    expect(valLosses, 'validation losses').toEqual([...valLosses].sort((a, b) => b - a));
    // valInterval 2 → validation after epochs 2, 4 and 6 only.
    expect(result.history.map((h) => h.val !== null)).toEqual([false, true, false, true, false, true]);
    const val = result.history[1]!.val!;
    expect(val.n).toBe(2);
    expect(val.confusion.flat().reduce((a, b) => a + b, 0)).toBe(2);

    const record = study.getModel('tiny');
    expect(record).toMatchObject({
      kind: 'classifier',
      backend: 'tfjs-cpu',
      dataVersion: study.dataVersion(),
    });
    expect(record.path).toBe(`models/tiny/epoch-000${result.best!.epoch}.safetensors`);
    expect(existsSync(path.join(study.dir, record.path!))).toBe(true);
    expect(study.getRunMetrics('tiny').map((r) => r.epoch)).toEqual([1, 2, 3, 4, 5, 6]);

    // Only the best and the last epochs' files stay.
    const files = readdirSync(runFolder(study.dir, 'tiny'))
      .filter((f) => f.startsWith('epoch-'))
      .sort();
    const kept = new Set([result.best!.epoch, 6].map((e) => `epoch-000${e}`));
    expect(files).toEqual(
      [...kept]
        .flatMap((stem) =>
          stem.endsWith('6')
            ? [`${stem}.optimizer.safetensors`, `${stem}.safetensors`]
            : [`${stem}.safetensors`],
        )
        .sort(),
    );

    // Progress: one event per step (6 training volumes → 3 steps) and per validation batch, with an ETA.
    const trainEvents = events.filter((e) => e.phase === 'train');
    expect(trainEvents).toHaveLength(18);
    expect(trainEvents[0]).toMatchObject({ epoch: 1, epochs: 6, step: 1, stepsPerEpoch: 3 });
    expect(events.at(-1)!.etaS).toBe(0);
    expect(result.peakRssMb).toBeGreaterThan(10);
  });

  it('resumes a cancelled run to exactly the weights of an uninterrupted run', async () => {
    const study = await newStudy();
    const straight = await train(study, TINY_CONFIG, { runId: 'straight' });

    const controller = new AbortController();
    const stopped = train(study, TINY_CONFIG, {
      runId: 'stopped',
      signal: controller.signal,
      onEpoch: (r) => r.epoch === 2 && controller.abort(),
    });
    await expect(stopped).rejects.toMatchObject({
      code: 'CANCELLED',
      details: { runId: 'stopped', epoch: 2 },
    });
    expect(study.listModels().map((m) => m.id)).toEqual(['straight']);
    expect((await readCheckpoint(runFolder(study.dir, 'stopped')))!.epoch).toBe(2);

    const resumed = await resumeTraining(study, 'stopped');
    expect(resumed.startEpoch).toBe(3);
    expect(resumed.history.map((h) => h.train.loss)).toEqual(straight.history.map((h) => h.train.loss));
    const last = (id: string) => tensorsOf(path.join(runFolder(study.dir, id), 'epoch-0004.safetensors'));
    expect(last('stopped')).toEqual(last('straight'));
    expect(study.getRunMetrics('stopped').map((r) => r.epoch)).toEqual([1, 2, 3, 4]);
  });

  it('stops within one step of a cancel', async () => {
    const study = await newStudy();
    const controller = new AbortController();
    const steps: TrainProgress[] = [];
    const run = train(study, TINY_CONFIG, {
      runId: 'cancel',
      signal: controller.signal,
      onProgress: (p) => {
        steps.push(p);
        if (p.step === 1) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(steps).toHaveLength(1);
    expect(await readCheckpoint(runFolder(study.dir, 'cancel'))).toBeNull();
  });
});

describe('evaluate and cross-validate', () => {
  it('scores a recorded model by id and by weights file on the images it did not train on', async () => {
    const study = await newStudy();
    const trained = await train(study, { ...TINY_CONFIG, epochs: 2 }, { runId: 'm' });
    const byId = await evaluate(study, 'm');
    const split = (study.getModel('m').config as { split: { val: string[] } }).split;
    expect(byId.images.map((i) => i.id)).toEqual(split.val);
    expect(byId.metrics).toEqual(trained.best!.metrics);
    const byFile = await evaluate(study, path.join(study.dir, study.getModel('m').path!), {
      images: study.listImages().map((i) => i.id),
    });
    expect(byFile.metrics.n).toBe(8);
    expect(byFile.images[0]!.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it('cross-validates over stratified folds, recording one model per fold', async () => {
    const study = await newStudy();
    const cv = await crossValidate(study, { ...TINY_CONFIG, epochs: 1, valInterval: 1 }, 2, { runId: 'cv' });
    expect(cv.folds.map((f) => f.modelId)).toEqual(['cv-fold1', 'cv-fold2']);
    const valIds = cv.folds.map((f) => (f.model.config as { split: { val: string[] } }).split.val);
    expect([...valIds[0]!, ...valIds[1]!].sort()).toEqual(study.listImages().map((i) => i.id));
    expect(cv.lastEpoch.accuracy.perFold).toHaveLength(2);
    expect(cv.lastEpoch.accuracy.mean).toBeCloseTo(
      (cv.lastEpoch.accuracy.perFold[0]! + cv.lastEpoch.accuracy.perFold[1]!) / 2,
      12,
    );
  });
});
