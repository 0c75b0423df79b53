// docs/README.md of an exported bundle: the template (templates/docs/README.md) with the plan's settings
// filled in where it says {{name}}.

import { VoxlabError } from '../common/errors.js';
import type { ImageMode } from './exportData.js';
import type { BundlePlan } from './exportPlan.js';

/**
 * `template` with every {{key}} replaced. Throws BAD_ARGUMENT naming a placeholder the plan cannot fill
 * (a template and this file out of step).
 */
export function renderReadme(
  template: string,
  plan: BundlePlan,
  info: { readonly exportedAt: string; readonly images: ImageMode; readonly withPhi: boolean },
): string {
  const c = plan.config;
  const n = plan.network;
  const { rotate90, flip } = c.augment;
  const augment = [
    rotate90 &&
      `RandRotate90 (prob ${rotate90.prob}, max_k ${rotate90.maxK}, axes [${rotate90.spatialAxes.join(', ')}])`,
    flip &&
      `RandFlip (prob ${flip.prob}, axes ${flip.spatialAxis === null ? 'all' : `[${flip.spatialAxis.join(', ')}]`})`,
  ].filter(Boolean);
  const values: Record<string, string | number> = {
    name: 'voxlab 3D classifier',
    exportedAt: info.exportedAt,
    runNote: plan.runId === null ? ` with seed ${c.seed}` : ` (run ${plan.runId})`,
    classes: plan.classes.map((k, i) => `${i} = ${k}`).join(', '),
    nTrain: plan.train.length,
    nVal: plan.val.length,
    phiNote: info.withPhi
      ? '; exported with PHI: image ids, PatientIDs and DICOM UIDs are in the datalist too'
      : '',
    size: c.inputSize,
    augmentNote: augment.length > 0 ? `, for training then ${augment.join(' → ')}` : '',
    nClasses: plan.classes.length,
    initFeatures: n.initFeatures,
    growthRate: n.growthRate,
    blockConfig: `(${n.blockConfig.join(', ')})`,
    bnSize: n.bnSize,
    dropoutProb: n.dropoutProb,
    model: c.model,
    seed: c.seed,
    lr: c.learningRate,
    betas: `(${c.betas.join(', ')})`,
    eps: c.eps,
    weightDecay: c.weightDecay,
    epochs: c.epochs,
    batch: c.batchSize,
    valInterval: c.valInterval,
    imageNote:
      info.images === 'copy'
        ? 'copies'
        : "symbolic links to the study's files: copy them (cp -L) before moving the bundle",
  };
  return template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const v = values[key];
    if (v === undefined)
      throw new VoxlabError('BAD_ARGUMENT', `renderReadme: the template's {{${key}}} has no value`);
    return String(v);
  });
}
