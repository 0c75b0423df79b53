// `npm run fuzz`: damages the shared NIfTI test files 10,000 ways (core/io/fuzz.ts) and prints a JSON
// summary on stdout; exits 1 when any case failed (a non-VoxlabError, or a case over the time limit).
// Usage: node dist/scripts/fuzz.js [--cases N] [--seed S] [--data DIR] [--max-file-mb M]; with `dicom`:
// damaged DICOM files instead (scripts/fuzzDicom.ts); with `pytorch`: damaged torch.save checkpoints
// (core/io/pytorch/fuzzPytorch.ts, made here, no data needed); with `safetensors`: damaged state_dicts
// (core/model/fuzzSafetensors.ts; also ../shared/reference/monai/densenet_tiny.safetensors when present);
// with `onnx`: damaged ONNX exports through voxlab's readers (core/infer/onnx/fuzzOnnx.ts), then
// --ort-cases N (default: all) of them in ONNX Runtime in a child process (scripts/fuzzOnnxOrt.ts).
// DIR defaults to ../shared/data beside the project (the files are test material, not part of voxlab).

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fuzzNifti, type FuzzFile } from '../core/io/fuzz.js';
import { fuzzPytorch } from '../core/io/pytorch/fuzzPytorch.js';
import { niftiFiles } from '../core/io/readNifti.js';
import { fuzzDicom } from './fuzzDicom.js';
import { fuzzOnnxOrt } from './fuzzOnnxOrt.js';
import { fuzzModelFiles } from './fuzzModelFiles.js';

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1]! : fallback;
}

function listNifti(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listNifti(path);
    return /\.(nii|nii\.gz|hdr)$/i.test(entry.name) ? [path] : [];
  });
}

/** The NIfTI files under `dir` of at most `maxBytes` (big ones make cases slow, not more varied); at most 5 IXI scans. */
function loadFiles(dir: string, maxBytes: number): FuzzFile[] {
  const paths = listNifti(dir).sort();
  const ixi = paths.filter((p) => p.includes('IXI')).slice(0, 5);
  return paths
    .filter((p) => !p.includes('IXI') || ixi.includes(p))
    .filter((p) => statSync(p).size <= maxBytes)
    .map((p) => {
      const img = niftiFiles(p).img;
      return {
        name: relative(dir, p),
        bytes: readFileSync(p),
        imgBytes: img === undefined ? undefined : readFileSync(img),
      };
    });
}

const dir = resolve(option('data', join('..', 'shared', 'data')));
const cases = Number(option('cases', '10000'));
const seed = Number(option('seed', '1'));
if (process.argv.slice(2).includes('dicom')) {
  // `npm run fuzz -- dicom`: damaged DICOM files through dcm2niix, each case in a worker with a time limit.
  process.exitCode = await fuzzDicom({ cases, seed, timeoutS: Number(option('timeout-s', '30')), dataDir: dir });
} else if (process.argv.slice(2).includes('safetensors')) {
  process.exitCode = await fuzzModelFiles('safetensors', { cases, seed, sharedDir: resolve(dir, '..') });
} else if (process.argv.slice(2).includes('onnx')) {
  const ortCases = Number(option('ort-cases', String(cases)));
  const ort = async () => fuzzOnnxOrt({ cases: ortCases, seed, timeoutS: Number(option('timeout-s', '30')) });
  process.exitCode = await fuzzModelFiles('onnx', { cases, seed, sharedDir: resolve(dir, '..'), ort });
} else if (process.argv.slice(2).includes('pytorch')) {
  const started = Date.now();
  const report = fuzzPytorch({ cases, seed });
  process.stdout.write(`${JSON.stringify({ ...report, seed, seconds: (Date.now() - started) / 1000 }, null, 2)}\n`);
  process.exitCode = report.failures.length > 0 ? 1 : 0;
} else {
  const files = loadFiles(dir, Number(option('max-file-mb', '1.5')) * 2 ** 20);
  const started = Date.now();
  const report = fuzzNifti({ cases, seed, files });
  const summary = { ...report, seed, files: files.length, seconds: (Date.now() - started) / 1000 };
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  process.exitCode = report.failures.length > 0 ? 1 : 0;
}
