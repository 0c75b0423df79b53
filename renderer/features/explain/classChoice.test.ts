// The class field of the explain panel: the labeled class offered by name beside the predicted one, the
// index each choice sends, and the sentence saying which class the next map explains.

import { describe, expect, it } from 'vitest';
import {
  chosenClassIndex,
  choiceValue,
  classOptions,
  explainsText,
  labeledClass,
  parseChoice,
  type ClassChoice,
} from './classChoice.js';
import type { PredictedClass } from './predictedClass.js';

const CLASSES = ['control', 'lesion'] as const;
const predictedControl: PredictedClass = { index: 0, name: 'control', probability: 0.62, modelId: 'm1', from: 'inference' };
const labeledLesion = { index: 1, name: 'lesion' };

describe('labeledClass', () => {
  it.each([
    ['a label the model has', 'lesion', CLASSES, { index: 1, name: 'lesion' }],
    ['unlabeled', null, CLASSES, null],
    ['a label the model does not have', 'tumour', CLASSES, null],
    ["the model's classes unknown", 'lesion', null, null],
  ] as const)('%s', (_, label, classes, expected) => {
    expect(labeledClass({ label }, classes)).toEqual(expected);
  });
  it('no image, no labeled class', () => {
    expect(labeledClass(null, CLASSES)).toBeNull();
  });
});

describe('classOptions', () => {
  it('offers the predicted class, the labeled class and each class tagged', () => {
    expect(classOptions(CLASSES, predictedControl, labeledLesion)).toEqual([
      { value: '', text: 'Predicted class: control' },
      { value: 'labeled', text: 'Labeled class: lesion' },
      { value: '0', text: 'control (predicted)' },
      { value: '1', text: 'lesion (labeled)' },
    ]);
  });
  it('one class both predicted and labeled carries both tags', () => {
    const predicted = { ...predictedControl, index: 1, name: 'lesion' };
    expect(classOptions(CLASSES, predicted, labeledLesion).map((o) => o.text)).toEqual([
      'Predicted class: lesion',
      'Labeled class: lesion',
      'control',
      'lesion (predicted, labeled)',
    ]);
  });
  it('no labeled choice on an unlabeled scan; the prediction decided when it runs while unknown', () => {
    expect(classOptions(CLASSES, null, null)).toEqual([
      { value: '', text: 'Predicted class (decided when it runs)' },
      { value: '0', text: 'control' },
      { value: '1', text: 'lesion' },
    ]);
  });
});

describe('choices and the index sent', () => {
  it.each([
    ['predicted', null, labeledLesion, '', null],
    ['labeled', 'labeled', labeledLesion, 'labeled', 1],
    ['labeled on a scan without a label: the predicted one', 'labeled', null, '', null],
    ['a class by index', 0, labeledLesion, '0', 0],
  ] as const)('%s', (_, choice: ClassChoice, labeled, value, index) => {
    expect(choiceValue(choice, labeled)).toBe(value);
    expect(chosenClassIndex(choice, labeled)).toBe(index);
  });
  it.each([
    ['', null],
    ['labeled', 'labeled'],
    ['1', 1],
  ] as const)('parseChoice(%j)', (value, choice) => {
    expect(parseChoice(value)).toBe(choice);
  });
});

describe('explainsText', () => {
  it.each([
    ['nothing known yet', null, null, null, 'The next map explains the class the model predicts for this scan (run inference to see it first).'],
    [
      'no prediction yet on a labeled scan',
      null,
      labeledLesion,
      null,
      'The next map explains the class the model predicts for this scan (run inference to see it first); the scan is labeled lesion.',
    ],
    ['the predicted class', predictedControl, null, null, 'The next map explains control, the predicted class (inference, 62 %).'],
    [
      'the predicted class of a scan labeled otherwise',
      predictedControl,
      labeledLesion,
      null,
      'The next map explains control, the predicted class (inference, 62 %); the scan is labeled lesion.',
    ],
    [
      'the labeled class, not the predicted one',
      predictedControl,
      labeledLesion,
      1,
      'The next map explains lesion; the model predicted control (inference, 62 %); it is the labeled class.',
    ],
    ['a class chosen before any prediction', null, labeledLesion, 1, 'The next map explains lesion; it is the labeled class.'],
  ] as const)('%s', (_, predicted, labeled, chosen, text) => {
    expect(explainsText(CLASSES, predicted, labeled, chosen)).toBe(text);
  });
  it('names a class by index when the classes are unknown', () => {
    expect(explainsText(null, null, null, 3)).toBe('The next map explains class #3.');
  });
});
