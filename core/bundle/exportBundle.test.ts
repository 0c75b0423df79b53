// exportBundle on a tiny synthetic study: the layout and datalist (no PHI, paths under the data root), the
// split of `voxlab train`, and, where Debian's PyTorch and MONAI 1.3.2 (shared/vendor) are installed, the
// bundle trained by `python -m monai.bundle run` and by torchrun with two gloo processes, its preprocessing
// against voxlab's and its weights imported into voxlab against PyTorch's logits.

import { execFile } from 'node:child_process';
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Study } from '../datastore/index.js';
import { openModelClassifier } from '../infer/OrtClassifier.js';
import { resolveModel } from '../infer/resolveModel.js';
import { readNifti } from '../io/readNifti.js';
import { buildManifest } from '../train/runSetup.js';
import { labeledImages } from '../train/dataset.js';
import { resolveTrainConfig, type TrainConfigInput } from '../train/config.js';
import { runFolder, writeManifest } from '../train/checkpoint.js';
import { stratifiedSplit } from '../train/split.js';
import { TINY_CONFIG, tempFolders, tinyStudy, writeTinyCohort } from '../train/testing/tinyStudy.js';
import { seedPreprocess } from '../transforms/seedPreprocess.js';
import { exportBundle, type ExportBundleResult } from './exportBundle.js';
import type { BundleDatalist } from './exportData.js';
import { MONAI_PYTHON, monaiPythonEnv, monaiPythonUnavailable } from '../model/testing/vendoredMonai.js';

const run = promisify(execFile);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const TORCHRUN = existsSync('/usr/bin/torchrun') ? '/usr/bin/torchrun' : 'torchrun';
/** CPU only (the assertions say 'cpu'), one thread per process: the machine has 2 cores for 2 ranks. */
const ENV = monaiPythonEnv({ OMP_NUM_THREADS: '1', CUDA_VISIBLE_DEVICES: '' });
const PYTHON = MONAI_PYTHON;

/** One epoch of the tests' tiny recipe, validated, with RandRotate90 in the bundle's training transforms. */
const CONFIG: TrainConfigInput = {
  ...TINY_CONFIG,
  epochs: 1,
  valInterval: 1,
  augment: { rotate90: { prob: 0.5 } },
};

/** Why the bundle cannot be run here, or null when python3 imports torch, MONAI and nibabel. */
const pythonUnavailable = async (): Promise<string | null> => monaiPythonUnavailable(['torch', 'monai', 'nibabel']);

/** The JSON lines of a metrics file. */
function events(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

describe('exportBundle', () => {
  const temp = tempFolders();
  let study: Study;
  let exported: ExportBundleResult;
  let unavailable: string | null;

  beforeAll(async () => {
    const cohort = await writeTinyCohort(temp.make('vox-bundle-cohort-'));
    study = await tinyStudy(cohort, temp.make('vox-bundle-study-'));
    exported = await exportBundle(study, path.join(temp.make('vox-bundle-'), 'bundle'), { config: CONFIG });
    unavailable = await pythonUnavailable();
    if (unavailable !== null) console.warn(`exportBundle: skipping the Python runs: ${unavailable}`);
  }, 60_000);

  afterAll(() => {
    study.close();
    temp.cleanup();
  });

  const file = (...p: string[]) => path.join(exported.dir, ...p);

  it('writes the Model Zoo layout, the images under data/ by neutral names and pseudonyms only', () => {
    for (const f of ['metadata.json', 'train.json', 'inference.json', 'multi_gpu_train.json', 'logging.conf'])
      expect(existsSync(file('configs', f)), f).toBe(true);
    expect(existsSync(file('docs', 'README.md'))).toBe(true);
    expect(existsSync(file('scripts', 'voxlab_train.py'))).toBe(true);
    const list = JSON.parse(readFileSync(file('configs', 'datalist.json'), 'utf8')) as BundleDatalist;
    const entries = [...list.training, ...list.validation];
    expect(entries).toHaveLength(8);
    for (const e of entries) {
      expect(e.image).toMatch(/^images\/case-\d{4}\.nii(\.gz)?$/);
      expect(lstatSync(file('data', e.image)).isFile()).toBe(true);
      expect(Object.keys(e).sort()).toEqual(expect.arrayContaining(['image', 'label']));
      expect(e).not.toHaveProperty('image_id');
      expect(e).not.toHaveProperty('patient_id');
    }
    const ids = exported.plan.train.concat(exported.plan.val).map((i) => i.id);
    const text = readFileSync(file('configs', 'datalist.json'), 'utf8');
    for (const id of ids) expect(text).not.toContain(id);
    expect(list.labels).toEqual({ '0': 'control', '1': 'lesion' });
  });

  it("holds out the images `voxlab train` would, with the same seed, and a run's own split with --run", async () => {
    const config = resolveTrainConfig(CONFIG);
    const data = labeledImages(study);
    const split = stratifiedSplit(
      data.images.map((i) => i.classIndex),
      config.valFraction,
      config.seed,
      data.classes,
    );
    const list = JSON.parse(readFileSync(file('configs', 'datalist.json'), 'utf8')) as BundleDatalist;
    const idOf = new Map(exported.cases.map((c) => [c.file, c.id]));
    expect(list.training.map((e) => idOf.get(e.image))).toEqual(split.train.map((i) => data.images[i]!.id));
    expect(list.validation.map((e) => idOf.get(e.image))).toEqual(split.val.map((i) => data.images[i]!.id));
    expect(list.training.map((e) => e.label)).toEqual(split.train.map((i) => data.images[i]!.classIndex));

    // A run whose split is not the seed's: the export follows run.json.
    const runId = 'run-for-export';
    const reversed = { train: split.val, val: split.train.slice(0, 2) };
    const manifest = buildManifest(study, runId, config, data, reversed);
    await writeManifest(runFolder(study.dir, runId), manifest);
    const fromRun = await exportBundle(study, path.join(temp.make('vox-bundle-run-'), 'b'), {
      runId,
      images: 'link',
      withPhi: true,
    });
    const runList = JSON.parse(
      readFileSync(path.join(fromRun.dir, 'configs', 'datalist.json'), 'utf8'),
    ) as BundleDatalist;
    expect(runList.training.map((e) => e.image_id)).toEqual(manifest.train.map((e) => e.id));
    expect(runList.validation.map((e) => e.image_id)).toEqual(manifest.val.map((e) => e.id));
    expect(lstatSync(path.join(fromRun.dir, 'data', runList.training[0]!.image)).isSymbolicLink()).toBe(true);
  });

  it('refuses a folder that holds files', async () => {
    await expect(exportBundle(study, exported.dir, { config: CONFIG })).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
    });
  });

  it("trains 1 epoch with `monai.bundle run`; preprocessing and logits equal voxlab's", async (ctx) => {
    if (unavailable !== null) return ctx.skip();
    await run(PYTHON, ['-m', 'monai.bundle', 'run', '--config_file', 'configs/train.json'], {
      cwd: exported.dir,
      env: ENV,
      timeout: 120_000,
    });
    const log = events(file('runs', 'train', 'metrics.jsonl'));
    expect(log[0]).toMatchObject({
      event: 'start',
      epochs: 1,
      train: 6,
      val: 2,
      world_size: 1,
      device: 'cpu',
    });
    expect(log[0]!.classes).toEqual(['control', 'lesion']);
    const epoch = log.find((e) => e.event === 'epoch')!;
    expect(epoch).toMatchObject({ epoch: 1, backend: 'monai-torch-cpu', train: { n: 6 }, val: { n: 2 } });
    expect(log.find((e) => e.event === 'checkpoint')).toMatchObject({ epoch: 1, file: 'models/model.pt' });
    expect(log.at(-1)).toEqual({ event: 'done', best_epoch: 1, model: 'models/model.pt' });
    expect(existsSync(file('models', 'last.pt'))).toBe(true);

    const out = temp.make('vox-bundle-check-');
    await run(PYTHON, [path.join(HERE, 'testing', 'bundle_check.py'), exported.dir, out], {
      env: ENV,
      timeout: 120_000,
    });
    const check = JSON.parse(readFileSync(path.join(out, 'check.json'), 'utf8')) as {
      cases: string[];
      logits: number[][];
      prefixed: number;
    };
    expect(check.prefixed).toBe(0);
    // MONAI's transforms (without the random one) against voxlab's preprocessing of the study's own files.
    const size = resolveTrainConfig(CONFIG).inputSize;
    const pathOf = new Map(exported.plan.train.concat(exported.plan.val).map((i) => [i.id, i.path]));
    const idOf = new Map(exported.cases.map((c) => [c.file, c.id]));
    const inputs = check.cases.map(
      (_, k) => new Float32Array(readFileSync(path.join(out, `${k}.f32`)).buffer.slice(0)),
    );
    for (const [k, c] of check.cases.entries()) {
      const ours = seedPreprocess(await readNifti(pathOf.get(idOf.get(c)!)!), size).data;
      expect(inputs[k]!.length).toBe(ours.length);
      let worst = 0;
      ours.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - inputs[k]![i]!))));
      expect(worst, c).toBeLessThan(1e-5);
    }
    // The trained weights through voxlab's own PyTorch checkpoint reader (core/io/pytorch) on the same inputs.
    const model = await resolveModel(file('models', 'model.pt'), { inputSize: size });
    expect(model.classes).toHaveLength(2);
    const classifier = await openModelClassifier(model, { provider: 'cpu' });
    try {
      const batch = new Float32Array(inputs.length * size ** 3);
      inputs.forEach((x, k) => batch.set(x, k * size ** 3));
      const logits = await classifier.predict(batch, inputs.length);
      check.logits
        .flat()
        .forEach((v, i) => expect(Math.abs(logits[i]! - v), `logit ${i}`).toBeLessThan(1e-4));
    } finally {
      await classifier.dispose();
    }
  }, 180_000);

  it('trains 1 epoch under torchrun with 2 gloo processes; its model imports', async (ctx) => {
    if (unavailable !== null) return ctx.skip();
    const port = await freePort();
    const logs = temp.make('vox-bundle-torchrun-');
    await run(
      TORCHRUN,
      [
        '--nnodes',
        '1',
        '--nproc_per_node',
        '2',
        '--master_addr',
        '127.0.0.1',
        '--master_port',
        String(port),
        '--monitor_interval',
        '0.5',
        // torch 1.13 on Python 3.11 (Debian 12) parses only 1 and 2 for these (its Std flag lookup skips
        // the zero and composite members, so the default '0' fails): stdout to a log file, stderr teed.
        '--redirects',
        '1',
        '--tee',
        '2',
        '--log_dir',
        logs,
        '-m',
        'monai.bundle',
        'run',
        '--config_file',
        "['configs/train.json','configs/multi_gpu_train.json']",
        '--output_dir',
        'runs/ddp',
        '--ckpt_dir',
        'models-ddp',
      ],
      { cwd: exported.dir, env: ENV, timeout: 180_000 },
    );
    const log = events(file('runs', 'ddp', 'metrics.jsonl'));
    expect(log[0]).toMatchObject({ event: 'start', world_size: 2, device: 'cpu' });
    // 6 training images dealt to 2 processes: 3 each, so n = 6 over both.
    expect(log.find((e) => e.event === 'epoch')).toMatchObject({ train: { n: 6 }, val: { n: 2 } });
    expect(log.at(-1)).toEqual({ event: 'done', best_epoch: 1, model: 'models-ddp/model.pt' });
    expect(existsSync(file('models-ddp', 'model.pt'))).toBe(true);
    // The safetensors copy is written from the same state_dict as model.pt, as it is: a 'module.' prefix
    // (the DDP wrapper's, which the .pt reader would strip) would fail the strict key check here.
    const model = await resolveModel(file('models-ddp', 'model.safetensors'), { inputSize: 16 });
    expect([...model.network!.state.keys()].filter((k) => k.startsWith('module.'))).toEqual([]);
    expect(model.network!.state.has('class_layers.out.weight')).toBe(true);
    const fromPt = await resolveModel(file('models-ddp', 'model.pt'), { inputSize: 16 });
    expect(fromPt.classes).toEqual(model.classes);
  }, 240_000);
});
