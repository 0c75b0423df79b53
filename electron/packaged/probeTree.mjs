// Run by plain Node against a packed app's install tree (electron/packaged/installTree.ts) for
// electron/builder.test.ts: loads the core's runtime-resolved pieces through the modules inside
// resources/app.asar, as the app's core does, and prints one JSON object saying what each gave. It resolves
// nothing itself: every file is found by the tree's modules from their own import.meta.url. Tests only.
//   node probeTree.mjs APP_DIR CHECK...   (APP_DIR: resources/app.asar, a folder in the tree)
// Checks: pool=NIFTI (a preprocessing worker thread), ort (ONNX Runtime: a session and the native kernels),
// wasm=THREADS (tfjs's wasm backend: the threaded build for 2+, the stock one for 1), dawn (dawn.node).
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [app, ...checks] = process.argv.slice(2);
if (app === undefined || checks.length === 0) {
  process.stderr.write('usage: probeTree.mjs APP_DIR pool=NIFTI|ort|wasm=THREADS|dawn...\n');
  process.exit(2);
}
const core = (rel) => pathToFileURL(path.join(app, 'dist', 'core', rel)).href;

/** core/loader/preprocessWorker.js beside the pool, reading and resizing the scan on a worker thread. */
async function pool(nifti) {
  const { PreprocessPool } = await import(core('loader/preprocessPool.js'));
  const pool = new PreprocessPool({ size: 8, workers: 1 });
  try {
    const tensor = await pool.load(nifti);
    return { mode: pool.mode, shape: [...tensor.shape], finite: tensor.data.every(Number.isFinite) };
  } finally {
    await pool.close();
  }
}

/** core/infer/ort/loadOrt.js: a session on a one-node model; core/backend/nativeKernels.js: a product. */
async function ort() {
  const { loadOrt } = await import(core('infer/ort/loadOrt.js'));
  const { OnnxGraph } = await import(core('infer/onnx/OnnxGraph.js'));
  const ort = await loadOrt();
  const graph = new OnnxGraph('probe');
  graph.output(graph.node('MatMul', [graph.input('a', [2, 2]), graph.input('b', [2, 2])], [], 'c'), [2, 2]);
  const session = await ort.InferenceSession.create(graph.toBytes());
  let c;
  try {
    const out = await session.run({
      a: new ort.Tensor('float32', Float32Array.of(1, 2, 3, 4), [2, 2]),
      b: new ort.Tensor('float32', Float32Array.of(0, 1, 1, 0), [2, 2]),
    });
    c = [...out.c.data];
  } finally {
    await session.release();
  }
  const { nativeKernels, nativeKernelsUnavailable } = await import(core('backend/nativeKernels.js'));
  const kernels = nativeKernels();
  if (kernels === null) return { c, kernels: nativeKernelsUnavailable() };
  const product = new Float32Array(1);
  kernels.matMul(Float32Array.of(2, 3), 1, 2, Float32Array.of(4, 5), 1, product);
  return { c, kernels: [...product] };
}

/** core/backend/wasmThreaded.js: tfjs's wasm glue, .wasm and (threaded) pthread workers. */
async function wasm(threads) {
  const { loadWasmBackend } = await import(core('backend/wasmThreaded.js'));
  return loadWasmBackend(Number(threads));
}

/** core/backend/webgpu/dawn.js: the package's version, and dawn.node loaded as dawn.ts loads it. */
async function dawn() {
  const { dawnVersion } = await import(core('backend/webgpu/dawn.js'));
  const { importUnpacked } = await import(core('runtime/packagedPath.js'));
  const dawn = await importUnpacked('webgpu', core('backend/webgpu/dawn.js'));
  return { version: dawnVersion(), create: typeof dawn.create };
}

const CHECKS = { pool, ort, wasm, dawn };
const report = {};
for (const check of checks) {
  const [name, arg] = check.split('=');
  if (!(name in CHECKS)) throw new Error(`probeTree: no check '${name}'`);
  report[name] = await CHECKS[name](arg);
}
// Every native binary this process loaded, where it was loaded from.
report.nativeFiles = Object.keys(createRequire(import.meta.url).cache).filter((f) => f.endsWith('.node'));
// The wasm backend's pool threads are unref'd; exit once the report is out rather than wait on ORT's.
process.stdout.write(`${JSON.stringify(report)}\n`, () => process.exit(0));
