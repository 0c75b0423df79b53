// `npm run bench -- pointing`: the pointing game (issue #16). For each lesion polarity: a synthetic cohort,
// a classifier trained on its first 2/3 (what `voxlab import` + `voxlab train` do, on a study of those
// scans), test accuracy and AUC on the last 1/3, then for each test scan WITH a lesion the class `lesion`
// explained by occlusion (the default occluder, and MONAI's gaussian for comparison), Grad-CAM and LayerCAM
// (their default layers); a hit is the peak (mapPeak's centroid of the tied maxima) within the lesion radius + half an
// occlusion window (core/explain/pointing). Issue #16's goals at the defaults: occlusion >= 80% hits for
// bright and dark lesions, Grad-CAM >= 60%, test accuracy >= 0.85.
// Sizes (env VOXLAB_BENCH_POINTING_*): POLARITIES (bright,dark), SEED (2026), N (60), SHAPE (64,64,48),
// SIZE (64), EPOCHS (12), MODEL (small), BLOCKS (a DenseNet blockConfig override, e.g. 2,2 for inputs of
// 16^3), MASK (8), OVERLAP (0.5), METHODS (occlusion,occlusion_gaussian,gradcam,layercam; 'none' stops after the
// test accuracy), EXPLAIN_MAX (explain at most this many lesion scans of the test part, in order; default
// all), SANITY (3: the cascade sanity check of each gradient map on this many of those scans; 0: none), LR (1e-3), RADIUS (lesion radius in mm; the generator's default), CONTRAST (bright lesion contrast
// over white matter; the generator's default), DARK_CONTRAST (likewise, negative); KEEP=1 keeps the temp folder. VOXLAB_BACKEND picks the tfjs backend.

import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { initBackend } from '../../core/backend/index.js';
import { VoxlabError } from '../../core/common/errors.js';
import { importFolder, openStudy } from '../../core/datastore/index.js';
import { explainScan, type ExplainScanOptions } from '../../core/explain/index.js';
import { gradCamNetwork } from '../../core/explain/gradCamNetwork.js';
import { chooseOcclusionEngine } from '../../core/explain/incremental/chooseEngine.js';
import { halfWindowMm } from '../../core/explain/pointing/halfWindowMm.js';
import { isHit, summarise, type PointingResult } from '../../core/explain/pointing/pointingGame.js';
import { checkMap, SANITY_THRESHOLD } from '../../core/explain/sanity/index.js';
import { tfModelFromState } from '../../core/explain/tfModelFromState.js';
import { inferFiles, openModelClassifier, resolveModel, type Classifier, type ResolvedModel } from '../../core/infer/index.js';
import { readNifti } from '../../core/io/readNifti.js';
import {
  generateCohort,
  LESION_POLARITIES,
  type CohortSubjectRecord,
  type LesionPolarity,
} from '../../core/synth/index.js';
import { MODEL_PRESETS, rocAuc, train, type ModelPreset } from '../../core/train/index.js';
import { inTempDir, type BenchContext } from './context.js';

const ENV = 'VOXLAB_BENCH_POINTING_';
/** The explanations scored, in this order. */
const METHOD_NAMES = ['occlusion', 'occlusion_gaussian', 'gradcam', 'layercam'] as const;
type MethodName = (typeof METHOD_NAMES)[number];

/** Comma-separated numbers from VOXLAB_BENCH_POINTING_<name>, or `fallback`. */
function numbers(name: string, fallback: readonly number[]): number[] {
  const raw = process.env[ENV + name];
  if (raw === undefined || raw.trim() === '') return [...fallback];
  const v = raw.split(',').map((s) => Number(s.trim()));
  if (!v.every((x) => Number.isFinite(x)))
    throw new VoxlabError('BAD_ARGUMENT', `pointing bench: ${ENV}${name} must be numbers, got '${raw}'`);
  return v;
}

function settings() {
  const polarities = (process.env[`${ENV}POLARITIES`] ?? 'bright,dark').split(',').map((s) => s.trim());
  const bad = polarities.filter((p) => !(LESION_POLARITIES as readonly string[]).includes(p));
  const model = process.env[`${ENV}MODEL`] ?? 'small';
  if (bad.length > 0 || !Object.hasOwn(MODEL_PRESETS, model))
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `pointing bench: polarities must be among ${LESION_POLARITIES.join(', ')} and the model one of ${Object.keys(MODEL_PRESETS).join(', ')}; got '${polarities.join(',')}', '${model}'`,
    );
  const shape = numbers('SHAPE', [64, 64, 48]);
  if (shape.length !== 3)
    throw new VoxlabError('BAD_ARGUMENT', `pointing bench: ${ENV}SHAPE must be nx,ny,nz`);
  const blocks = process.env[`${ENV}BLOCKS`] === undefined ? undefined : numbers('BLOCKS', []);
  const methods = (process.env[`${ENV}METHODS`] ?? METHOD_NAMES.join(','))
    .split(',')
    .map((m) => m.trim())
    .filter((m) => m !== '' && m !== 'none');
  const unknown = methods.filter((m) => !(METHOD_NAMES as readonly string[]).includes(m));
  if (unknown.length > 0)
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `pointing bench: ${ENV}METHODS takes ${METHOD_NAMES.join(', ')} or none; got '${unknown.join(',')}'`,
    );
  return {
    polarities: polarities as LesionPolarity[],
    methods: methods as MethodName[],
    explainMax: numbers('EXPLAIN_MAX', [Infinity])[0]!,
    lesion: {
      ...(process.env[`${ENV}RADIUS`] ? { lesionRadiusMm: numbers('RADIUS', [])[0]! } : {}),
      ...(process.env[`${ENV}CONTRAST`] ? { lesionContrast: numbers('CONTRAST', [])[0]! } : {}),
      ...(process.env[`${ENV}DARK_CONTRAST`] ? { darkLesionContrast: numbers('DARK_CONTRAST', [])[0]! } : {}),
    },
    seed: numbers('SEED', [2026])[0]!,
    sanityScans: numbers('SANITY', [3])[0]!,
    n: numbers('N', [60])[0]!,
    shape: shape as [number, number, number],
    maskSize: numbers('MASK', [8])[0]!,
    overlap: numbers('OVERLAP', [0.5])[0]!,
    // Issue #16's recipe: voxlab train --model small --size 64 --epochs 12 --batch 4 --lr 1e-3.
    train: {
      model: model as ModelPreset,
      inputSize: numbers('SIZE', [64])[0]!,
      epochs: numbers('EPOCHS', [12])[0]!,
      batchSize: 4,
      learningRate: numbers('LR', [1e-3])[0]!,
      ...(blocks !== undefined ? { modelOverrides: { blockConfig: blocks } } : {}),
    },
  };
}
type Settings = ReturnType<typeof settings>;

const seconds = (t0: number): number => Math.round((performance.now() - t0) / 10) / 100;

export async function pointingSuite(ctx: BenchContext): Promise<Record<string, unknown>> {
  const s = settings();
  const backend = await initBackend({
    prefer: (process.env.VOXLAB_BACKEND as 'wasm' | 'cpu' | undefined) ?? 'auto',
  });
  ctx.log(`pointing: tfjs ${backend.backend}, ${backend.threads} thread(s); ${JSON.stringify(s)}`);
  const out: Record<string, unknown> = { settings: s, backend: `tfjs-${backend.backend}` };
  for (const polarity of s.polarities) {
    out[polarity] = await inTempDir(ctx, `voxlab-pointing-${polarity}-`, process.env[`${ENV}KEEP`] === '1', (dir) =>
      onePolarity(ctx, s, polarity, dir, `tfjs-${backend.backend}`),
    );
  }
  return out;
}

/** A cohort split in two: the first 2/3 in images/ (+ train.csv), the last 1/3 moved to test/. */
interface SplitCohort {
  readonly imagesDir: string;
  readonly trainCsv: string;
  readonly nTrain: number;
  readonly test: readonly (CohortSubjectRecord & { readonly path: string })[];
}

async function splitCohort(s: Settings, polarity: LesionPolarity, cohortDir: string): Promise<SplitCohort> {
  const manifest = await generateCohort(cohortDir, {
    n: s.n,
    seed: s.seed,
    shape: s.shape,
    lesionPolarity: polarity,
    ...s.lesion,
  });
  const nTrain = Math.round((s.n * 2) / 3);
  // The test scans leave images/ so that the study (importFolder takes a folder) holds the training scans only.
  await fsp.mkdir(path.join(cohortDir, 'test'));
  const test = manifest.subjects
    .slice(nTrain)
    .map((r) => ({ ...r, path: path.join(cohortDir, 'test', path.basename(r.file)) }));
  for (const r of test) await fsp.rename(path.join(cohortDir, r.file), r.path);
  const trainCsv = path.join(cohortDir, 'train.csv');
  const rows = manifest.subjects.slice(0, nTrain).map((r) => `${r.file},${r.group}`);
  await fsp.writeFile(trainCsv, ['file,label', ...rows].join('\n') + '\n');
  return { imagesDir: path.join(cohortDir, 'images'), trainCsv, nTrain, test };
}

/** `voxlab import` + `voxlab train` in a new study at `studyDir`; returns the model id. */
async function trainStudy(
  ctx: BenchContext,
  s: Settings,
  cohort: SplitCohort,
  studyDir: string,
  backend: string,
): Promise<string> {
  const study = openStudy(studyDir, { create: { name: 'pointing game' } });
  try {
    await importFolder(study, cohort.imagesDir, { labelsCsv: cohort.trainCsv, copy: false, author: 'bench' });
    ctx.log(`pointing: training ${s.train.model} at ${s.train.inputSize}^3 on ${cohort.nTrain} scans...`);
    const result = await train(study, s.train, {
      backend,
      onEpoch: (r) =>
        ctx.log(
          `  epoch ${r.epoch}: train loss ${r.train.loss.toFixed(4)}, val acc ${r.val?.accuracy ?? '-'}`,
        ),
    });
    return result.modelId;
  } finally {
    study.close();
  }
}

/** Cohort, study of the first 2/3, training, test metrics and the pointing game for one polarity. */
async function onePolarity(
  ctx: BenchContext,
  s: Settings,
  polarity: LesionPolarity,
  dir: string,
  backend: string,
): Promise<Record<string, unknown>> {
  const t0 = performance.now();
  ctx.log(`pointing ${polarity}: cohort of ${s.n} at ${s.shape.join('x')}, seed ${s.seed}...`);
  const cohort = await splitCohort(s, polarity, path.join(dir, 'cohort'));
  const studyDir = path.join(dir, 'study');
  const tTrain = performance.now();
  const modelId = await trainStudy(ctx, s, cohort, studyDir, backend);
  const trainSeconds = seconds(tTrain);
  const model = await resolveModel(modelId, { studyDir });
  const classifier = await openModelClassifier(model, { provider: 'cpu' });
  const network = gradCamNetwork(model);
  const tfModel = tfModelFromState(network.description, network.state);
  try {
    const lesion = classifier.classes.indexOf('lesion');
    if (lesion < 0)
      throw new VoxlabError(
        'BAD_ARGUMENT',
        `pointing bench: no class 'lesion' in ${classifier.classes.join(', ')}`,
      );
    const predictions = await inferFiles(
      classifier,
      cohort.test.map((r) => r.path),
    );
    const correct = predictions.filter((p, i) => p.predicted === cohort.test[i]!.group).length;
    const auc = rocAuc(
      predictions.map((p) => p.probabilities[lesion]!),
      cohort.test.map((r) => r.label === 1),
    );
    ctx.log(`pointing ${polarity}: test accuracy ${correct}/${cohort.test.length}`);
    const { engine, name: engineName } = chooseOcclusionEngine(model, 'auto', { provider: 'cpu' });
    const occlusion = {
      maskSize: s.maskSize,
      overlap: s.overlap,
      ...(engine !== undefined ? { engine } : {}),
    };
    const all: Record<MethodName, Method> = {
      occlusion: { method: 'occlusion', occlusion },
      occlusion_gaussian: { method: 'occlusion', occlusion: { ...occlusion, mode: 'gaussian' } },
      gradcam: { method: 'gradcam', model: tfModel },
      layercam: { method: 'layercam', model: tfModel },
    };
    const methods = Object.fromEntries(s.methods.map((m) => [m, all[m]]));
    const scored = await playGame(ctx, s, cohort, { classifier, classIndex: lesion, methods, model });
    return {
      n: s.n,
      n_train: cohort.nTrain,
      n_test: cohort.test.length,
      test_accuracy: correct / cohort.test.length,
      test_auc: auc,
      occlusion_engine: engineName,
      methods: scored,
      train_seconds: trainSeconds,
      seconds: seconds(t0),
    };
  } finally {
    tfModel.dispose();
    await classifier.dispose();
  }
}

type Method = Pick<ExplainScanOptions, 'method' | 'occlusion' | 'model'>;

/**
 * Explains `classIndex` on each test scan with a lesion by every method and scores the peaks (isHit with
 * half an occlusion window of tolerance, see halfWindowMm). Returns per method the summary, the seconds
 * its explanations took, the tolerance and the occluder or layer used.
 */
async function playGame(
  ctx: BenchContext,
  s: Settings,
  cohort: SplitCohort,
  run: { classifier: Classifier; classIndex: number; methods: Record<string, Method>; model: ResolvedModel },
): Promise<Record<string, Record<string, unknown>>> {
  const scored = Object.fromEntries(
    Object.keys(run.methods).map((name) => [
      name,
      { results: [] as PointingResult[], seconds: 0, detail: {}, sanity: [] as number[] },
    ]),
  );
  const withLesion = cohort.test.filter((r) => r.planted.present).slice(0, s.explainMax);
  ctx.log(`pointing: explaining ${withLesion.length} test scans with a lesion...`);
  for (const r of withLesion) {
    const scan = await readNifti(r.path);
    const half = halfWindowMm(s.maskSize, scan.shape, scan.affine, inputGrid(run.classifier));
    for (const [name, options] of Object.entries(run.methods)) {
      const t = performance.now();
      const { report, inputMap } = await explainScan(scan, {
        ...options,
        classifier: run.classifier,
        classIndex: run.classIndex,
      });
      const hit = isHit(report.peak?.centroidWorldMm ?? null, r.planted, half);
      const m = scored[name]!;
      m.seconds += (performance.now() - t) / 1000;
      m.results.push(hit);
      // The cascade sanity check of the gradient maps (occlusion's costs 9 more whole-volume runs): does a
      // map that points also depend on the weights? Last-step rank correlation, < 0.5 passes.
      if (options.method !== 'occlusion' && m.sanity.length < s.sanityScans) {
        const check = await checkMap({
          kind: 'cascade',
          model: run.model,
          scan,
          reference: inputMap.data,
          settings: { method: options.method, classIndex: run.classIndex },
        });
        m.sanity.push(check.cascade!.at(-1)!.spearman);
      }
      m.detail = {
        half_window_mm: half,
        ...(report.occluder ? { occluder: report.occluder.mode, windows: report.windows } : {}),
        ...(report.layer ? { layer: report.layer.name } : {}),
      };
      const where = hit.distanceMm === null ? 'no peak' : `${hit.distanceMm.toFixed(1)} mm`;
      ctx.log(
        `  ${r.subject} ${name}: ${hit.hit ? 'hit' : 'miss'}, ${where} (${(r.planted.radiusWorldMm + half).toFixed(1)} mm allowed)`,
      );
    }
  }
  return Object.fromEntries(
    Object.entries(scored).map(([name, m]) => [
      name,
      {
        ...summarise(m.results),
        seconds: Math.round(m.seconds * 100) / 100,
        ...m.detail,
        ...(m.sanity.length > 0
          ? {
              sanity_last_spearman: m.sanity.map((v) => Math.round(v * 1000) / 1000),
              sanity_passed: m.sanity.filter((v) => v < SANITY_THRESHOLD).length,
            }
          : {}),
      },
    ]),
  );
}

/** The model's spatial input per scan axis: voxlab's inputs are cubes (inputShape [1, N, N, N]). */
function inputGrid(classifier: Classifier): [number, number, number] {
  const [, d, h, w] = classifier.inputShape;
  return [d!, h!, w!];
}
