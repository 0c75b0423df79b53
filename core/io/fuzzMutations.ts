// Ways to damage a NIfTI file for fuzzing the reader: byte flips in header and voxels, truncation,
// damaged gzip streams, absurd header values (dims, datatype, offsets, NaN geometry, CIFTI intents),
// bogus extensions and appended garbage. Header fields are edited in the inflated bytes and the file is
// gzipped again, so the reader's checks (not only zlib's) are exercised.

import { gzipSync } from 'node:zlib';
import type { SeededRandom } from '../common/random.js';
import { sniffNifti } from './niftiHeader.js';

/** A real file to mutate: its bytes as given, inflated, and the .img of a pair. */
export interface FuzzSeed {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly inflated: Uint8Array;
  readonly gz: boolean;
  readonly imgBytes?: Uint8Array;
}

/** One damaged input and what was done to it. */
export interface Mutant {
  readonly bytes: Uint8Array;
  readonly imgBytes?: Uint8Array;
  readonly label: string;
}

type Kind = 'i16' | 'i32' | 'i64' | 'f32' | 'f64';
type Field = readonly [offset: number, kind: Kind, count: number];

/** Header fields by NIfTI version: byte offset, storage type, number of elements. */
const FIELDS: Readonly<Record<1 | 2, Readonly<Record<string, Field>>>> = {
  1: {
    dim: [40, 'i16', 8],
    intent: [68, 'i16', 1],
    datatype: [70, 'i16', 1],
    bitpix: [72, 'i16', 1],
    pixdim: [76, 'f32', 8],
    voxOffset: [108, 'f32', 1],
    slope: [112, 'f32', 1],
    inter: [116, 'f32', 1],
    qformCode: [252, 'i16', 1],
    sformCode: [254, 'i16', 1],
    quatern: [256, 'f32', 6],
    srow: [280, 'f32', 12],
  },
  2: {
    datatype: [12, 'i16', 1],
    bitpix: [14, 'i16', 1],
    dim: [16, 'i64', 8],
    pixdim: [104, 'f64', 8],
    voxOffset: [168, 'i64', 1],
    slope: [176, 'f64', 1],
    inter: [184, 'f64', 1],
    qformCode: [344, 'i32', 1],
    sformCode: [348, 'i32', 1],
    quatern: [352, 'f64', 6],
    srow: [400, 'f64', 12],
    intent: [504, 'i32', 1],
  },
};

/** Values that have broken readers before, per field. */
const ABSURD: Readonly<Record<string, readonly number[]>> = {
  dim: [0, -1, -32768, 1, 2, 3, 5, 7, 8, 9, 100, 32767, 65535, 2 ** 31 - 1, 2 ** 40, -(2 ** 40)],
  intent: [3000, 3001, 3002, 3006, 3099, 1002, 2003, -1],
  datatype: [
    0, 1, 2, 3, 4, 7, 16, 32, 64, 128, 255, 256, 512, 768, 1024, 1280, 1536, 1792, 2048, 2304, 9999, -1,
  ],
  bitpix: [0, 1, 7, 8, 9, 16, 24, 32, 64, 128, -8],
  pixdim: [NaN, Infinity, -Infinity, 0, -1, -2.5, 1e30, 1e-30],
  voxOffset: [NaN, Infinity, -352, 0, 1, 347, 348, 352, 539, 544, 1e6, 1e9, 2 ** 40],
  slope: [NaN, Infinity, 0, -1, 1e38, 1e-38],
  inter: [NaN, Infinity, -1e38, 1e6],
  qformCode: [-1, 0, 1, 2, 5, 6, 255, 32767],
  sformCode: [-1, 0, 1, 2, 5, 6, 255, 32767],
  quatern: [NaN, Infinity, 2, -2, 1, 0.70710678, 0, 1e30],
  srow: [NaN, Infinity, 0, -0, 1e30, -1e-30],
};

function setField(
  bytes: Uint8Array,
  littleEndian: boolean,
  [offset, kind]: Field,
  index: number,
  value: number,
): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const integer = Number.isFinite(value) ? Math.trunc(value) : 0;
  if (kind === 'i16') view.setInt16(offset + 2 * index, integer, littleEndian);
  else if (kind === 'i32') view.setInt32(offset + 4 * index, integer, littleEndian);
  else if (kind === 'i64') view.setBigInt64(offset + 8 * index, BigInt(integer), littleEndian);
  else if (kind === 'f32') view.setFloat32(offset + 4 * index, value, littleEndian);
  else view.setFloat64(offset + 8 * index, value, littleEndian);
}

/** Compresses again when the seed was gzipped (fast level: fuzzing needs many cases, not small files). */
function pack(seed: FuzzSeed, inflated: Uint8Array): Uint8Array {
  return seed.gz ? gzipSync(inflated, { level: 1 }) : inflated;
}

function headerBytes(seed: FuzzSeed): number {
  return sniffNifti(seed.inflated)?.version === 2 ? 540 : 348;
}

function flipBytes(
  bytes: Uint8Array,
  rng: SeededRandom,
  from: number,
  to: number,
  count: number,
): Uint8Array {
  const out = new Uint8Array(bytes);
  if (to <= from) return out;
  for (let n = 0; n < count; n++) out[rng.int(from, to)] = rng.int(0, 256);
  return out;
}

function absurdField(seed: FuzzSeed, rng: SeededRandom): Mutant {
  const sniff = sniffNifti(seed.inflated);
  if (sniff === undefined)
    return { bytes: seed.bytes, imgBytes: seed.imgBytes, label: 'unchanged (not NIfTI)' };
  const fields = FIELDS[sniff.version];
  const names = Object.keys(fields);
  const name = names[rng.int(0, names.length)]!;
  const field = fields[name]!;
  const values = ABSURD[name]!;
  const index = rng.int(0, field[2]);
  const value =
    rng.next() < 0.8 ? values[rng.int(0, values.length)]! : (rng.next() - 0.5) * 2 ** rng.int(0, 64);
  const inflated = new Uint8Array(seed.inflated);
  setField(inflated, sniff.littleEndian, field, index, value);
  return { bytes: pack(seed, inflated), imgBytes: seed.imgBytes, label: `${name}[${index}] = ${value}` };
}

function bogusExtension(seed: FuzzSeed, rng: SeededRandom): Mutant {
  const at = headerBytes(seed);
  const inflated = new Uint8Array(seed.inflated);
  if (inflated.length < at + 12)
    return { bytes: seed.bytes, imgBytes: seed.imgBytes, label: 'unchanged (too short)' };
  const sizes = [0, -16, 7, 8, 16, 32, 1 << 20, 2 ** 31 - 1, rng.int(-1000, 100000)];
  const esize = sizes[rng.int(0, sizes.length)]!;
  const view = new DataView(inflated.buffer, inflated.byteOffset, inflated.length);
  inflated[at] = 1;
  view.setInt32(at + 4, esize, rng.next() < 0.5);
  view.setInt32(at + 8, rng.int(0, 64), true);
  return { bytes: pack(seed, inflated), imgBytes: seed.imgBytes, label: `extension esize ${esize}` };
}

function truncatedImg(seed: FuzzSeed, rng: SeededRandom): Mutant {
  if (seed.imgBytes === undefined)
    return {
      bytes: seed.bytes.subarray(0, rng.int(0, seed.bytes.length)),
      label: 'truncated file (no .img)',
    };
  return {
    bytes: seed.bytes,
    imgBytes: seed.imgBytes.subarray(0, rng.int(0, seed.imgBytes.length)),
    label: 'truncated .img',
  };
}

type Mutation = (seed: FuzzSeed, rng: SeededRandom) => Mutant;

/** The mutations, each a function of a seed file and the case's random stream. */
export const MUTATIONS: readonly (readonly [string, Mutation])[] = [
  [
    'header byte flips',
    (s, r) => ({
      bytes: pack(s, flipBytes(s.inflated, r, 0, headerBytes(s) + 16, r.int(1, 9))),
      imgBytes: s.imgBytes,
      label: 'header byte flips',
    }),
  ],
  [
    'data byte flips',
    (s, r) => ({
      bytes: pack(s, flipBytes(s.inflated, r, headerBytes(s), s.inflated.length, r.int(1, 65))),
      imgBytes: s.imgBytes,
      label: 'data byte flips',
    }),
  ],
  ['absurd header value', absurdField],
  ['absurd header value', absurdField],
  ['absurd header value', absurdField],
  ['bogus extension', bogusExtension],
  [
    'truncated file',
    (s, r) => ({
      bytes: s.bytes.subarray(0, r.int(0, s.bytes.length)),
      imgBytes: s.imgBytes,
      label: 'truncated file',
    }),
  ],
  [
    'truncated then gzipped',
    (s, r) => ({
      bytes: pack(s, s.inflated.subarray(0, r.int(0, s.inflated.length))),
      imgBytes: s.imgBytes,
      label: 'truncated then gzipped',
    }),
  ],
  [
    'gzip stream byte flips',
    (s, r) => ({
      bytes: flipBytes(s.bytes, r, 0, s.bytes.length, r.int(1, 5)),
      imgBytes: s.imgBytes,
      label: 'gzip stream byte flips',
    }),
  ],
  [
    'gzip header/trailer flips',
    (s, r) => ({
      bytes: flipBytes(
        flipBytes(s.bytes, r, 0, 10, 1),
        r,
        Math.max(0, s.bytes.length - 8),
        s.bytes.length,
        1,
      ),
      imgBytes: s.imgBytes,
      label: 'gzip header/trailer flips',
    }),
  ],
  [
    'appended garbage',
    (s, r) => ({
      bytes: pack(s, concat(s.inflated, randomBytes(r, r.int(1, 4096)))),
      imgBytes: s.imgBytes,
      label: 'appended garbage',
    }),
  ],
  ['truncated .img', truncatedImg],
  ['random bytes', (_s, r) => ({ bytes: randomBytes(r, r.int(0, 2048)), label: 'random bytes' })],
];

function randomBytes(rng: SeededRandom, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.int(0, 256);
  if (n >= 4 && rng.next() < 0.5) new DataView(out.buffer).setInt32(0, rng.next() < 0.5 ? 348 : 540, true);
  return out;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
