// A prediction shows on its image with the model's confidence: the probability of the predicted class and
// every class's probability, so a reader can tell a 0.51 call from a 0.99 one.

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

describe('predictions on images', () => {
  it('carry the probability of the predicted class and all probabilities, latest first', () => {
    study.recordPrediction('a', { modelId: 'run-1', classes: ['control', 'lesion'], probabilities: [0.2, 0.8], label: 'lesion' });
    expect(study.getImage('a').prediction).toMatchObject({ modelId: 'run-1', label: 'lesion', probability: 0.8, classes: ['control', 'lesion'], probabilities: [0.2, 0.8] });
    study.recordPrediction('a', { modelId: 'run-2', classes: ['F', 'M', 'X'], probabilities: [0.5, 0.3, 0.2], label: 'F' });
    const [a, b] = study.listImages();
    expect(a!.prediction).toMatchObject({ modelId: 'run-2', label: 'F', probability: 0.5, classes: ['F', 'M', 'X'] });
    expect(a!.status).toBe('predicted');
    expect(b!.prediction).toBeNull();
  });
});
