// `npm run bench -- sanity`: the saliency sanity checks (issue #16; Adebayo et al., "Sanity Checks for
// Saliency Maps", NeurIPS 2018) on trained models. (a) A synthetic cohort with bright lesions (core/synth),
// a small DenseNet trained on two thirds (as the pointing bench), and on a few held-out lesion scans the
// class 'lesion' explained by Grad-CAM and occlusion, then the cascade (one more layer group randomized per
// step, class_layers down to the stem) and the data randomization (the same recipe on shuffled labels).
// (b) The same on real IXI T1 scans (../shared/data/ixi, labels.csv: sex), cascade on a couple of held-out
// scans. Must show: rank correlation below 0.5 by the last step. Per-step figures and verdicts as JSON.
// The checks need models that learned something: on 40 synthetic scans a small DenseNet reached test accuracy
// 0.45-0.6 with core/synth's lesions (12-18 mm, 1.3-1.5 x WM) in 12 epochs, 0.75 with 25 mm lesions at 2 x WM
// in 24 epochs (the defaults below); on 70 IXI scans, 0.87 held-out accuracy (sex) in 10 epochs at 64^3.
// Sizes (env VOXLAB_BENCH_SANITY_*): SEED (2026), N (60), SHAPE (64,64,48), SIZE (64), EPOCHS (24), MODEL
// (small), CONTRAST (1: lesionContrast, 2 x WM), RADIUS (25: lesionRadiusMm, core/synth's largest), SCANS (2
// held-out lesion scans), METHODS (gradcam,occlusion), MASK (16), OVERLAP (0.25), DATA (1: also train on
// shuffled labels), SYNTH (1), IXI (1), IXI_DIR (../shared/data/ixi), IXI_N (70 training scans, the rest held
// out), IXI_SIZE (64), IXI_EPOCHS (10), IXI_SCANS (2), IXI_DATA (0); KEEP=1 keeps the temp folder.
// VOXLAB_BACKEND picks tfjs's backend. About 14 min on 2 cores.

import { existsSync, promises as fsp } from 'node:fs';
import path from 'node:path';
import { initBackend } from '../../core/backend/index.js';
import { VoxlabError } from '../../core/common/errors.js';
import { openStudy } from '../../core/datastore/index.js';
import { explainScan, type ExplainMethod } from '../../core/explain/index.js';
import { chooseOcclusionEngine } from '../../core/explain/incremental/chooseEngine.js';
import {
  networkMaps,
  sanityCheck,
  trainOnShuffledLabels,
  type SanityMapSettings,
  type SanityReport,
} from '../../core/explain/sanity/index.js';
import { tfModelFromState } from '../../core/explain/tfModelFromState.js';
import { inferFiles, openModelClassifier, resolveModel, type ResolvedModel } from '../../core/infer/index.js';
import type { StateDict } from '../../core/infer/stateDict.js';
import { readNifti } from '../../core/io/readNifti.js';
import { generateCohort } from '../../core/synth/index.js';
import { MODEL_PRESETS, train, type ModelPreset, type TrainConfigInput } from '../../core/train/index.js';
import { inTempDir, type BenchContext } from './context.js';

const ENV = 'VOXLAB_BENCH_SANITY_';

function env(name: string, fallback: string): string {
  const v = process.env[ENV + name];
  return v === undefined || v.trim() === '' ? fallback : v.trim();
}

function numbers(name: string, fallback: string): number[] {
  const raw = env(name, fallback);
  const v = raw.split(',').map((x) => Number(x.trim()));
  if (!v.every(Number.isFinite))
    throw new VoxlabError('BAD_ARGUMENT', `sanity bench: ${ENV}${name} must be numbers, got '${raw}'`);
  return v;
}
const one = (name: string, fallback: number) => numbers(name, String(fallback))[0]!;

function settings() {
  const model = env('MODEL', 'small');
  const methods = env('METHODS', 'gradcam,occlusion').split(',');
  if (
    !Object.hasOwn(MODEL_PRESETS, model) ||
    !methods.every((m) => ['gradcam', 'gradcam++', 'occlusion'].includes(m))
  )
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `sanity bench: ${ENV}MODEL must be one of ${Object.keys(MODEL_PRESETS).join(', ')} and ${ENV}METHODS among gradcam, gradcam++, occlusion; got '${model}', '${methods.join(',')}'`,
    );
  const shape = numbers('SHAPE', '64,64,48');
  if (shape.length !== 3) throw new VoxlabError('BAD_ARGUMENT', `sanity bench: ${ENV}SHAPE must be nx,ny,nz`);
  const recipe = (size: number, epochs: number): TrainConfigInput => ({
    model: model as ModelPreset,
    inputSize: size,
    epochs,
    batchSize: 4,
    learningRate: 1e-3,
  });
  return {
    seed: one('SEED', 2026),
    methods: methods as ExplainMethod[],
    occlusion: { maskSize: one('MASK', 16), overlap: one('OVERLAP', 0.25) },
    synth: one('SYNTH', 1) === 1,
    n: one('N', 60),
    lesion: { lesionContrast: one('CONTRAST', 1), lesionRadiusMm: one('RADIUS', 25) },
    shape: shape as [number, number, number],
    scans: one('SCANS', 2),
    data: one('DATA', 1) === 1,
    train: recipe(one('SIZE', 64), one('EPOCHS', 24)),
    ixi: one('IXI', 1) === 1,
    ixiDir: path.resolve(env('IXI_DIR', '../shared/data/ixi')),
    ixiN: one('IXI_N', 70),
    ixiScans: one('IXI_SCANS', 2),
    ixiData: one('IXI_DATA', 0) === 1,
    ixiTrain: recipe(one('IXI_SIZE', 64), one('IXI_EPOCHS', 10)),
  };
}
type Settings = ReturnType<typeof settings>;

const seconds = (t0: number): number => Math.round((performance.now() - t0) / 10) / 100;
const r3 = (v: number | null): number | null => (v === null ? null : Math.round(v * 1000) / 1000);

export async function sanitySuite(ctx: BenchContext): Promise<Record<string, unknown>> {
  const s = settings();
  const backend = await initBackend({
    prefer: (process.env.VOXLAB_BACKEND as 'wasm' | 'cpu' | undefined) ?? 'auto',
  });
  const tfjs = `tfjs-${backend.backend}`;
  ctx.log(`sanity: ${tfjs}, ${backend.threads} thread(s); ${JSON.stringify(s)}`);
  const out: Record<string, unknown> = { settings: s, backend: tfjs };
  await inTempDir(ctx, 'voxlab-sanity-bench-', env('KEEP', '0') === '1', async (dir) => {
    if (s.synth) out.synthetic = await synthetic(ctx, s, path.join(dir, 'synth'), tfjs);
    if (s.ixi)
      out.ixi = existsSync(path.join(s.ixiDir, 'labels.csv'))
        ? await ixi(ctx, s, path.join(dir, 'ixi'), tfjs)
        : { skipped: `no ${path.join(s.ixiDir, 'labels.csv')}` };
  });
  return out;
}

/** A labeled scan: its file, label and, for the checks, a name. */
interface Scan {
  readonly name: string;
  readonly path: string;
  readonly label: string;
}

/** A new study of `scans` (by reference, labeled), trained with `recipe`; returns the study dir and model. */
async function trainedStudy(
  ctx: BenchContext,
  dir: string,
  scans: readonly Scan[],
  recipe: TrainConfigInput,
  backend: string,
): Promise<{ studyDir: string; modelId: string; model: ResolvedModel }> {
  const studyDir = path.join(dir, 'study');
  const study = openStudy(studyDir, { create: { name: 'sanity bench' } });
  try {
    for (const sc of scans) {
      const image = await study.addImage(sc.path, { copy: false, author: 'bench' });
      study.setClassLabel(image.id, sc.label, { author: 'bench' });
    }
    ctx.log(`sanity: training ${recipe.model} at ${recipe.inputSize}^3 on ${scans.length} scans...`);
    const result = await train(study, recipe, {
      backend,
      onEpoch: (r) =>
        ctx.log(
          `  epoch ${r.epoch}: train loss ${r.train.loss.toFixed(4)}, acc ${r.train.accuracy.toFixed(2)}, val acc ${r.val?.accuracy ?? '-'}`,
        ),
    });
    return { studyDir, modelId: result.modelId, model: await resolveModel(result.modelId, { studyDir }) };
  } finally {
    study.close();
  }
}

/** The run retrained on shuffled labels (its weights), or null when not asked. */
async function shuffledState(
  ctx: BenchContext,
  on: boolean,
  where: { studyDir: string; modelId: string },
  seed: number,
  backend: string,
): Promise<{ state: StateDict; trainAccuracy: number | null; seconds: number } | null> {
  if (!on) return null;
  const t = performance.now();
  ctx.log('sanity: training the same recipe on shuffled labels...');
  const study = openStudy(where.studyDir);
  try {
    const m = await trainOnShuffledLabels(study, where.modelId, seed, {
      backend,
      onEpoch: (r) => ctx.log(`  shuffled epoch ${r.epoch}: train acc ${r.train.accuracy.toFixed(2)}`),
    });
    return { state: m.state, trainAccuracy: m.history.at(-1)?.train.accuracy ?? null, seconds: seconds(t) };
  } finally {
    study.close();
  }
}

/** Test accuracy of `model` on `scans`. */
async function accuracy(model: ResolvedModel, scans: readonly Scan[]): Promise<number> {
  const classifier = await openModelClassifier(model, { provider: 'cpu' });
  try {
    const p = await inferFiles(
      classifier,
      scans.map((sc) => sc.path),
    );
    return p.filter((x, i) => x.predicted === scans[i]!.label).length / scans.length;
  } finally {
    await classifier.dispose();
  }
}

/** Every method's map of class `classIndex` on each scan, then the cascade (and data check when given). */
async function checkScans(
  ctx: BenchContext,
  s: Settings,
  model: ResolvedModel,
  scans: readonly Scan[],
  classIndex: number | null,
  shuffled: Awaited<ReturnType<typeof shuffledState>>,
): Promise<Record<string, unknown>> {
  const network = model.network!;
  const classifier = await openModelClassifier(model, { provider: 'cpu' });
  const tfModel = tfModelFromState(network.description, network.state);
  const perMethod: Record<string, Record<string, unknown>[]> = {};
  try {
    for (const sc of scans) {
      const scan = await readNifti(sc.path);
      for (const method of s.methods) {
        const t = performance.now();
        const { engine } = chooseOcclusionEngine(model, 'auto', { provider: 'cpu' });
        const { report, inputMap } = await explainScan(scan, {
          method,
          classifier,
          model: tfModel,
          ...(classIndex !== null ? { classIndex } : {}),
          occlusion: { ...s.occlusion, ...(engine !== undefined ? { engine } : {}) },
        });
        const settings: SanityMapSettings = {
          method,
          classIndex: report.classIndex,
          occlusion: s.occlusion,
          provider: 'cpu',
        };
        const maps = networkMaps({ ...model, network }, scan, settings);
        const sanity: SanityReport = await sanityCheck({
          kind: shuffled === null ? 'cascade' : 'all',
          network,
          maps,
          reference: maps.crop(inputMap.data),
          seed: s.seed,
          ...(shuffled !== null ? { shuffled: () => Promise.resolve(shuffled) } : {}),
          onProgress: (line) => ctx.log(`  ${sc.name} ${method}: ${line}`),
        });
        ctx.log(
          `  ${sc.name} ${method}: ${sanity.verdict}, last-step spearman ${r3(sanity.lastSpearman)}, data ${r3(sanity.dataSpearman)}`,
        );
        (perMethod[method] ??= []).push({
          scan: sc.name,
          label: sc.label,
          class: report.classes[report.classIndex],
          probability: r3(report.probabilities[report.classIndex]!),
          verdict: sanity.verdict,
          last_spearman: r3(sanity.lastSpearman),
          last_spearman_abs: r3(sanity.lastSpearmanAbs),
          data:
            sanity.data === null
              ? null
              : {
                  spearman: r3(sanity.data.spearman),
                  spearman_abs: r3(sanity.data.spearmanAbs),
                  ssim: r3(sanity.data.ssim),
                },
          steps: (sanity.cascade ?? []).map((st) => ({
            layers_randomized: st.randomized.length,
            layer: st.layer,
            spearman: r3(st.spearman),
            spearman_abs: r3(st.spearmanAbs),
            ssim: r3(st.ssim),
          })),
          ...(report.layer ? { gradcam_layer: report.layer.name } : {}),
          ...(report.windows !== undefined ? { windows: report.windows } : {}),
          seconds: seconds(t),
        });
      }
    }
  } finally {
    tfModel.dispose();
    await classifier.dispose();
  }
  return Object.fromEntries(
    Object.entries(perMethod).map(([m, runs]) => {
      const last = runs.map((r) => r.last_spearman as number).sort((a, b) => a - b);
      return [
        m,
        {
          passed: runs.filter((r) => r.verdict === 'passed').length,
          n: runs.length,
          median_last_spearman: last[Math.floor((last.length - 1) / 2)] ?? null,
          max_last_spearman: last.at(-1) ?? null,
          runs,
        },
      ];
    }),
  );
}

/** (a) The synthetic cohort: train on 2/3, check held-out lesion scans. */
async function synthetic(
  ctx: BenchContext,
  s: Settings,
  dir: string,
  backend: string,
): Promise<Record<string, unknown>> {
  const t0 = performance.now();
  const cohortDir = path.join(dir, 'cohort');
  ctx.log(`sanity synthetic: cohort of ${s.n} at ${s.shape.join('x')}, bright lesions, seed ${s.seed}...`);
  const manifest = await generateCohort(cohortDir, {
    n: s.n,
    seed: s.seed,
    shape: s.shape,
    lesionPolarity: 'bright',
    ...s.lesion,
  });
  const all = manifest.subjects.map((r) => ({
    name: r.subject,
    path: path.join(cohortDir, r.file),
    label: r.group,
    lesion: r.planted.present,
  }));
  const nTrain = Math.round((s.n * 2) / 3);
  const trained = await trainedStudy(ctx, dir, all.slice(0, nTrain), s.train, backend);
  const test = all.slice(nTrain);
  const testAccuracy = await accuracy(trained.model, test);
  ctx.log(`sanity synthetic: test accuracy ${testAccuracy.toFixed(2)} on ${test.length}`);
  const shuffled = await shuffledState(ctx, s.data, trained, s.seed, backend);
  const lesion = trained.model.classes.indexOf('lesion');
  const scans = test.filter((r) => r.lesion).slice(0, s.scans);
  return {
    n_train: nTrain,
    n_test: test.length,
    test_accuracy: testAccuracy,
    shuffled_train_accuracy: shuffled?.trainAccuracy ?? null,
    shuffled_seconds: shuffled?.seconds ?? null,
    methods: await checkScans(ctx, s, trained.model, scans, lesion, shuffled),
    seconds: seconds(t0),
  };
}

/** (b) IXI T1: sex, the first IXI_N rows (alternating sexes) to train, held-out scans checked. */
async function ixi(
  ctx: BenchContext,
  s: Settings,
  dir: string,
  backend: string,
): Promise<Record<string, unknown>> {
  const t0 = performance.now();
  await fsp.mkdir(dir, { recursive: true });
  const lines = (await fsp.readFile(path.join(s.ixiDir, 'labels.csv'), 'utf8')).trim().split('\n');
  const head = lines[0]!.split(',');
  const [fi, si] = [head.indexOf('file'), head.indexOf('sex')];
  const rows = lines.slice(1).map((l) => l.split(','));
  const bySex = (x: string) => rows.filter((r) => r[si] === x);
  const [f, m] = [bySex('F'), bySex('M')];
  const interleaved = f.flatMap((r, i) => (m[i] !== undefined ? [r, m[i]!] : [r]));
  const scans = interleaved.map((r) => ({
    name: path.basename(r[fi]!, '.nii.gz'),
    path: path.join(s.ixiDir, r[fi]!),
    label: r[si]!,
  }));
  const trainScans = scans.slice(0, s.ixiN);
  const held = scans.slice(s.ixiN);
  const trained = await trainedStudy(ctx, dir, trainScans, s.ixiTrain, backend);
  const heldAccuracy = await accuracy(trained.model, held);
  ctx.log(`sanity ixi: held-out accuracy ${heldAccuracy.toFixed(2)} on ${held.length}`);
  const shuffled = await shuffledState(ctx, s.ixiData, trained, s.seed, backend);
  return {
    n_train: trainScans.length,
    n_held_out: held.length,
    held_out_accuracy: heldAccuracy,
    shuffled_train_accuracy: shuffled?.trainAccuracy ?? null,
    // The class each map explains: the model's prediction on that scan.
    methods: await checkScans(ctx, s, trained.model, held.slice(0, s.ixiScans), null, shuffled),
    seconds: seconds(t0),
  };
}
