// The default class to explain: this session's inference first, else the stored prediction, matched by name.

import { describe, expect, it } from 'vitest';
import type { ImageSummary } from '../../../core/api/index.js';
import { predictedClass } from './predictedClass.js';

const stored = (modelId: string, label: string): ImageSummary['prediction'] => ({
  modelId,
  label,
  createdAt: '2025-01-01T00:00:00Z',
  probability: 0.7,
  classes: ['F', 'M'],
  probabilities: label === 'F' ? [0.7, 0.3] : [0.3, 0.7],
});
const image = (prediction: ImageSummary['prediction']) => ({ id: 'a', prediction });
const session = { imageId: 'a', modelId: 'm1', classes: ['F', 'M'], values: [0.2, 0.8] };

describe('predictedClass', () => {
  it.each([
    [
      'session inference wins',
      image(stored('m1', 'F')),
      'm1',
      ['F', 'M'],
      session,
      { index: 1, name: 'M', from: 'inference', probability: 0.8 },
    ],
    [
      'stored prediction of the model',
      image(stored('m1', 'F')),
      'm1',
      ['F', 'M'],
      null,
      { index: 0, name: 'F', from: 'stored prediction', probability: 0.7 },
    ],
    [
      'inference of another image is ignored',
      image(stored('m1', 'F')),
      'm1',
      ['F', 'M'],
      { ...session, imageId: 'b' },
      { index: 0, name: 'F' },
    ],
    [
      'another model, same class names: by name',
      image(stored('m2', 'M')),
      'm1',
      ['M', 'F'],
      null,
      { index: 0, name: 'M', modelId: 'm2' },
    ],
    [
      "classes unknown: the model's own prediction",
      image(stored('m1', 'M')),
      'm1',
      null,
      null,
      { index: 1, name: 'M' },
    ],
  ] as const)('%s', (_, img, modelId, classes, s, expected) => {
    expect(predictedClass(img, modelId, classes, s)).toMatchObject(expected);
  });
  it.each([
    ['no prediction at all', image(null), 'm1', ['F', 'M'], null],
    ['a class the model does not have', image(stored('m2', 'X')), 'm1', ['F', 'M'], null],
    ['classes unknown and another model', image(stored('m2', 'M')), 'm1', null, null],
    ['no model', image(stored('m1', 'M')), null, ['F', 'M'], null],
  ] as const)('null for %s', (_, img, modelId, classes, s) => {
    expect(predictedClass(img, modelId, classes, s)).toBeNull();
  });
});
