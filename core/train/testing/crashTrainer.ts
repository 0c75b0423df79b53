// The child process of the crash test (crash.test.ts): trains TINY_CONFIG on the cpu backend, printing a
// line after each training step and each saved epoch, until the test kills it with SIGKILL. Usage: node crashTrainer.js <studyDir> <runId>.

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { openStudy } from '../../datastore/openStudy.js';
import { train } from '../train.js';
import { TINY_CONFIG } from './tinyStudy.js';

const [dir, runId] = process.argv.slice(2);
if (dir === undefined || runId === undefined) throw new Error('usage: crashTrainer <studyDir> <runId>');
await tf.setBackend('cpu');
const study = openStudy(dir);
await train(study, TINY_CONFIG, {
  runId,
  onEpoch: (r) => process.stdout.write(`${JSON.stringify({ epoch: r.epoch })}\n`),
  onProgress: (p) => {
    if (p.phase === 'train') process.stdout.write(`${JSON.stringify({ stepOf: p.epoch, step: p.step })}\n`);
  },
});
study.close();
process.stdout.write(`${JSON.stringify({ done: true })}\n`);
