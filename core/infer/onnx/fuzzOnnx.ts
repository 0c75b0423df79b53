// Fuzzes voxlab's own ONNX reading (readOnnxSummary, readOnnxGraph with its initializers): damages the
// export of a tiny DenseNet (flipped bytes, bytes set to varint edge values, truncation, cut and repeated
// ranges) and checks that every case reads or throws a VoxlabError, in time (issue #15, item 4). The same
// mutants go to ONNX Runtime in a child process (scripts/fuzzOnnxOrt.ts), where a native crash is counted.

import { SeededRandom } from '../../common/random.js';
import { runFuzzCases, type FuzzReport } from '../../io/fuzz.js';
import { describeDenseNet } from '../../model/densenet.js';
import { exportOnnx } from '../exportOnnx.js';
import { initialStateDict } from '../stateDict.js';
import { readOnnxSummary } from './readOnnx.js';
import { readOnnxGraph } from './readOnnxGraph.js';

/** A tiny DenseNet (8 features, growth 4, blocks 2-2-2-2) exported for input [N, 1, 32, 32, 32]. */
export function onnxFuzzSeed(): Uint8Array {
  const description = describeDenseNet(
    { initFeatures: 8, growthRate: 4, blockConfig: [2, 2, 2, 2], bnSize: 2 },
    [32, 32, 32],
  );
  return exportOnnx(description, initialStateDict(description, 1));
}

/** Bytes that are protobuf edge cases: continuation bits, wire types 3-7, zero, max. */
const EDGE_BYTES = [0x00, 0x01, 0x07, 0x08, 0x0a, 0x0b, 0x0e, 0x0f, 0x7f, 0x80, 0xff];

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

type Mutation = (seed: Uint8Array, r: SeededRandom) => { bytes: Uint8Array; label: string };

/** Where to damage: 3 times in 4 in the first 4 kB (graph structure, names, metadata), else anywhere. */
const position = (bytes: Uint8Array, r: SeededRandom): number =>
  r.int(0, r.next() < 0.75 ? Math.min(bytes.length, 4096) : bytes.length);

const MUTATIONS: readonly (readonly [string, Mutation])[] = [
  [
    'flip bytes',
    (s, r) => {
      const bytes = s.slice();
      const n = r.int(1, 9);
      for (let i = 0; i < n; i++) bytes[position(bytes, r)] = r.int(0, 256);
      return { bytes, label: `${n} bytes` };
    },
  ],
  [
    'edge bytes',
    (s, r) => {
      const bytes = s.slice();
      const at = position(bytes, r);
      const run = r.int(1, 11);
      for (let i = at; i < Math.min(bytes.length, at + run); i++)
        bytes[i] = EDGE_BYTES[r.int(0, EDGE_BYTES.length)]!;
      return { bytes, label: `${run} at ${at}` };
    },
  ],
  [
    'huge length varint',
    (s, r) => {
      const at = position(s, r);
      const varint = [0xff, 0xff, 0xff, 0xff, 0x0f].slice(0, r.int(1, 6));
      return {
        bytes: concat(s.subarray(0, at), Uint8Array.from(varint), s.subarray(at + varint.length)),
        label: `at ${at}`,
      };
    },
  ],
  [
    'truncate',
    (s, r) => {
      const n = r.int(0, s.length);
      return { bytes: s.subarray(0, n), label: `to ${n}` };
    },
  ],
  [
    'cut a range',
    (s, r) => {
      const at = position(s, r);
      const n = r.int(1, 64);
      return { bytes: concat(s.subarray(0, at), s.subarray(at + n)), label: `${n} at ${at}` };
    },
  ],
  [
    'repeat a range',
    (s, r) => {
      const at = position(s, r);
      const n = r.int(1, 256);
      const range = s.subarray(at, at + n);
      return { bytes: concat(s.subarray(0, at + n), range, s.subarray(at + n)), label: `${n} at ${at}` };
    },
  ],
  [
    'random bytes',
    (_s, r) => ({ bytes: Uint8Array.from({ length: r.int(0, 512) }, () => r.int(0, 256)), label: 'random' }),
  ],
];

/** The damaged model of case `index` of a run seeded `seed` (the same in the reader and the ORT fuzzers). */
export function mutateOnnx(
  seedBytes: Uint8Array,
  seed: number,
  index: number,
): { bytes: Uint8Array; label: string } {
  const r = new SeededRandom(seed * 1_000_003 + index);
  const [kind, mutate] = MUTATIONS[r.int(0, MUTATIONS.length)]!;
  const mutant = mutate(seedBytes, r);
  return { bytes: mutant.bytes, label: `${kind}: ${mutant.label}` };
}

/** Runs `cases` damaged models through readOnnxSummary and readOnnxGraph. See FuzzReport; never throws for a reader failure. */
export function fuzzOnnx(options: { cases: number; seed: number; caseLimitMs?: number }): FuzzReport {
  const seedBytes = onnxFuzzSeed();
  return runFuzzCases(options.cases, options.caseLimitMs ?? 2000, (c) => {
    const mutant = mutateOnnx(seedBytes, options.seed, c);
    return {
      what: `case ${c} (${mutant.label})`,
      run: () => {
        readOnnxSummary(mutant.bytes);
        readOnnxGraph(mutant.bytes);
      },
    };
  });
}
