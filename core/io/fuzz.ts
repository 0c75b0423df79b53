// Fuzzes the NIfTI reader: damages real files in many ways (fuzzMutations.ts) and checks that every
// case either reads or throws a VoxlabError, quickly. Anything else (a TypeError, RangeError, a case
// slower than the time limit) is a failure, reported with the seed file and what was done to it.

import { performance } from 'node:perf_hooks';
import { gunzipSync } from 'node:zlib';
import { isVoxlabError } from '../common/errors.js';
import { SeededRandom } from '../common/random.js';
import { toAffine } from '../common/spaces.js';
import { asClosestCanonical } from './canonical.js';
import { encodeNifti } from './encodeNifti.js';
import { MUTATIONS, type FuzzSeed, type Mutant } from './fuzzMutations.js';
import { isGzip } from './gzip.js';
import { readNiftiBuffer, readNiftiHeaderBuffer } from './readNiftiBuffer.js';

/** A file to start from: its bytes, and the .img bytes when it is the .hdr of a pair. */
export interface FuzzFile {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly imgBytes?: Uint8Array;
}

export interface FuzzOptions {
  readonly cases: number;
  readonly seed: number;
  /** Real files to damage; without them, three small synthetic images (uint8 .nii.gz, int16 .nii, float32 .nii.gz). */
  readonly files?: readonly FuzzFile[];
  /** A case slower than this fails (default 2000 ms). */
  readonly caseLimitMs?: number;
}

export interface FuzzReport {
  readonly cases: number;
  /** How many cases ended in each VoxlabError code. */
  readonly byCode: Record<string, number>;
  /** Cases that read without error. */
  readonly ok: number;
  /** The slowest case, milliseconds. */
  readonly maxMs: number;
  /** One line per failed case (at most 50 kept). */
  readonly failures: string[];
}

const MAX_FAILURES_KEPT = 50;

function syntheticFiles(): FuzzFile[] {
  const affine = toAffine([-2, 0, 0, 30, 0, 0, 2, -40, 0, 2.1, 0, -20, 0, 0, 0, 1]);
  const shape = [16, 12, 10] as const;
  const n = shape[0] * shape[1] * shape[2];
  const ramp = (i: number): number => (i * 7919) % 251;
  return [
    {
      name: 'synthetic-uint8.nii.gz',
      bytes: encodeNifti({ shape, affine, data: Uint8Array.from({ length: n }, (_, i) => ramp(i)) }),
    },
    {
      name: 'synthetic-int16.nii',
      bytes: encodeNifti(
        { shape, affine, data: Int16Array.from({ length: n }, (_, i) => ramp(i) - 100) },
        { compress: false },
      ),
    },
    {
      name: 'synthetic-float32.nii.gz',
      bytes: encodeNifti(
        { shape, affine, data: Float32Array.from({ length: n }, (_, i) => ramp(i) / 3) },
        { intent: 'map' },
      ),
    },
  ];
}

function toSeed(file: FuzzFile): FuzzSeed {
  const gz = isGzip(file.bytes);
  return {
    name: file.name,
    bytes: file.bytes,
    inflated: gz ? gunzipSync(file.bytes) : file.bytes,
    gz,
    imgBytes: file.imgBytes,
  };
}

/** Reads a mutant fully (and reorients it) and by header only; returns the full read's error code or 'ok'. */
function runCase(mutant: Mutant, name: string): string {
  let outcome = 'ok';
  try {
    const volume = readNiftiBuffer(mutant.bytes, { imgBytes: mutant.imgBytes, name });
    asClosestCanonical(volume);
  } catch (e) {
    if (!isVoxlabError(e)) throw e;
    outcome = e.code;
  }
  try {
    readNiftiHeaderBuffer(mutant.bytes, { name });
  } catch (e) {
    if (!isVoxlabError(e)) throw e;
  }
  return outcome;
}

/**
 * Runs `cases` damaged inputs made from `files` with a seeded generator (same seed, same cases) and
 * reports the outcomes. Never throws for a reader failure: those land in `failures`.
 */
export function fuzzNifti(options: FuzzOptions): FuzzReport {
  const seeds = (options.files ?? syntheticFiles()).map(toSeed);
  if (seeds.length === 0) throw new RangeError('fuzzNifti: need at least one file');
  const rng = new SeededRandom(options.seed);
  return runFuzzCases(options.cases, options.caseLimitMs ?? 2000, (c) => {
    const caseRng = rng.fork();
    const seed = seeds[caseRng.int(0, seeds.length)]!;
    const [kind, mutate] = MUTATIONS[caseRng.int(0, MUTATIONS.length)]!;
    const mutant = mutate(seed, caseRng);
    return {
      what: `case ${c} (${seed.name}, ${kind}: ${mutant.label})`,
      run: () => runCase(mutant, seed.name),
    };
  });
}

/**
 * Runs fuzz cases 0 .. cases - 1 in order: `makeCase(c)` names case c and gives its reader call. A call that
 * returns (undefined or 'ok': it read; another string: the VoxlabError code it ended in) or throws a
 * VoxlabError is an outcome; anything else thrown, or a case over `limitMs`, is a failure. Never throws for
 * a reader failure. Shared by every file fuzzer (NIfTI, PyTorch, safetensors, ONNX).
 */
export function runFuzzCases(
  cases: number,
  limitMs: number,
  makeCase: (c: number) => { readonly what: string; readonly run: () => string | void },
): FuzzReport {
  const byCode: Record<string, number> = {};
  const failures: string[] = [];
  let ok = 0;
  let maxMs = 0;
  for (let c = 0; c < cases; c++) {
    const { what, run } = makeCase(c);
    const start = performance.now();
    try {
      const outcome = run();
      if (outcome === undefined || outcome === 'ok') ok++;
      else byCode[outcome] = (byCode[outcome] ?? 0) + 1;
    } catch (e) {
      if (isVoxlabError(e)) byCode[e.code] = (byCode[e.code] ?? 0) + 1;
      else
        failures.push(`${what}: ${e instanceof Error ? `${e.name}: ${e.message.slice(0, 200)}` : String(e)}`);
    }
    const ms = performance.now() - start;
    maxMs = Math.max(maxMs, ms);
    if (ms > limitMs) failures.push(`${what}: took ${ms.toFixed(0)} ms (limit ${limitMs})`);
  }
  return {
    cases,
    byCode,
    ok,
    maxMs: Math.round(maxMs * 10) / 10,
    failures: failures.slice(0, MAX_FAILURES_KEPT),
  };
}
