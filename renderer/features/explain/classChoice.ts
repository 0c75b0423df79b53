// The class a map will explain (issue #16: "the app says which class a map explains, and offers the
// planted/labeled class and the predicted one"): the choices of the panel's class field, the index each sends,
// and the sentence that says which class the next map explains and whether it is the predicted or labeled one.

import type { ImageSummary } from '../../../core/api/index.js';
import type { PredictedClass } from './predictedClass.js';

/**
 * What the user picked: null = the predicted class (the default), 'labeled' = the open scan's labeled class
 * (whatever its label is when the map runs), or an index into the model's classes.
 */
export type ClassChoice = number | 'labeled' | null;

/** The open scan's labeled class as one of the model's classes. */
export interface LabeledClass {
  /** Index into the model's classes. */
  readonly index: number;
  readonly name: string;
}

/**
 * The class the study's label of `image` names, when it is one of the model's `classes` (matched by name);
 * null when the scan is unlabeled, the classes are unknown or the model has no class of that name.
 */
export function labeledClass(image: Pick<ImageSummary, 'label'> | null, classes: readonly string[] | null): LabeledClass | null {
  if (image === null || image.label === null || classes === null) return null;
  const index = classes.indexOf(image.label);
  return index < 0 ? null : { index, name: image.label };
}

/** The index sent to explain.run for `choice`; null = let the core explain the class it predicts. */
export function chosenClassIndex(choice: ClassChoice, labeled: LabeledClass | null): number | null {
  if (choice === 'labeled') return labeled?.index ?? null;
  return choice;
}

/** One option of the class field: its value ('' predicted, 'labeled', or the index) and its words. */
export interface ClassOption {
  readonly value: string;
  readonly text: string;
}

/**
 * The class field's options: "Predicted class: X" (the default; "decided when it runs" while unknown), then
 * "Labeled class: Y" when the scan's label is one of the classes, then every class by name, tagged
 * (predicted) and (labeled).
 */
export function classOptions(classes: readonly string[], predicted: PredictedClass | null, labeled: LabeledClass | null): ClassOption[] {
  const tags = (i: number) =>
    [predicted?.index === i ? 'predicted' : null, labeled?.index === i ? 'labeled' : null].filter((t) => t !== null);
  return [
    { value: '', text: predicted === null ? 'Predicted class (decided when it runs)' : `Predicted class: ${predicted.name}` },
    ...(labeled === null ? [] : [{ value: 'labeled', text: `Labeled class: ${labeled.name}` }]),
    ...classes.map((c, i) => ({ value: String(i), text: tags(i).length === 0 ? c : `${c} (${tags(i).join(', ')})` })),
  ];
}

/** The field's value for `choice` ('labeled' without a labeled class falls back to the predicted one). */
export function choiceValue(choice: ClassChoice, labeled: LabeledClass | null): string {
  if (choice === null || (choice === 'labeled' && labeled === null)) return '';
  return String(choice);
}

/** The choice a field value stands for (the inverse of choiceValue). */
export function parseChoice(value: string): ClassChoice {
  if (value === '') return null;
  if (value === 'labeled') return 'labeled';
  return Number(value);
}

/**
 * Which class the next map explains, in words, and whether it is the predicted class (with where that
 * prediction comes from) and the labeled one. `chosen` is chosenClassIndex's answer.
 */
export function explainsText(
  classes: readonly string[] | null,
  predicted: PredictedClass | null,
  labeled: LabeledClass | null,
  chosen: number | null,
): string {
  const name = (i: number) => classes?.[i] ?? `class #${i}`;
  const pct = predicted?.probability == null ? '' : `, ${(predicted.probability * 100).toFixed(0)} %`;
  const source = predicted === null ? '' : `${predicted.from === 'inference' ? 'inference' : `stored prediction of ${predicted.modelId}`}${pct}`;
  if (chosen === null && predicted === null)
    return `The next map explains the class the model predicts for this scan (run inference to see it first)${labeled === null ? '' : `; the scan is labeled ${labeled.name}`}.`;
  const index = chosen ?? predicted!.index;
  const label =
    labeled === null ? '' : labeled.index === index ? '; it is the labeled class' : `; the scan is labeled ${labeled.name}`;
  if (index === predicted?.index) return `The next map explains ${name(index)}, the predicted class (${source})${label}.`;
  return `The next map explains ${name(index)}${predicted === null ? '' : `; the model predicted ${predicted.name} (${source})`}${label}.`;
}
