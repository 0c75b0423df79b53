// Fuzzes the safetensors reader and the weights loader: damages valid files (a tiny DenseNet's state_dict,
// and any real files given) in the header length, the JSON header (bytes and fields: offsets, dtypes,
// shapes), the data and the length, then parses, decodes every tensor and loads into the model. Every
// case must read or throw a VoxlabError, in time (issue #15, item 4).

import { SeededRandom } from '../common/random.js';
import { runFuzzCases, type FuzzReport } from '../io/fuzz.js';
import { parseSafetensors } from './safetensors.js';
import { FLOAT_DTYPES, INT_DTYPES, toFloat32, toIntegers } from './tensorValues.js';
import type { TfModel } from './tfModel.js';
import { loadStateDict, saveStateDict } from './weights.js';

/** A valid file to damage. */
export interface SafetensorsSeed {
  readonly name: string;
  readonly bytes: Uint8Array;
}

interface Parsed {
  readonly header: Record<string, unknown>;
  readonly data: Uint8Array;
}

function split(bytes: Uint8Array): Parsed {
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  const text = new TextDecoder().decode(bytes.subarray(8, 8 + length));
  return { header: JSON.parse(text) as Record<string, unknown>, data: bytes.subarray(8 + length) };
}

/**
 * A file from a header (as JSON text) and data, with a correct header length. A string `@@DEEP_n@@` in the
 * header becomes lists nested n deep (made as text: JSON.stringify of such a value overflows the stack).
 */
function join(headerText: string, data: Uint8Array): Uint8Array {
  const text = headerText.replace(
    /"@@DEEP_(\d+)@@"/g,
    (_, n: string) => `${'['.repeat(Number(n))}${']'.repeat(Number(n))}`,
  );
  const header = new TextEncoder().encode(text);
  const out = new Uint8Array(8 + header.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(header.length), true);
  out.set(header, 8);
  out.set(data, 8 + header.length);
  return out;
}

/** Values that break readers: huge, negative, fractional, unsafe, wrong types, deep nesting. */
const deep = (n: number): string => `@@DEEP_${n}@@`;
const ODD_NUMBERS = [-1, 0, 1, 1.5, 7, 2 ** 31, 2 ** 32 + 4, 2 ** 53, 2 ** 64, 1e300, -0];
const ODD_VALUES: readonly unknown[] = [null, 'F32', '12', true, {}, [], [[1]], ...ODD_NUMBERS];
const DTYPES = [
  'F32',
  'F64',
  'F16',
  'BF16',
  'I64',
  'I32',
  'U8',
  'BOOL',
  'F8_E4M3',
  'U64',
  'F128',
  'f32',
  '',
  7,
  null,
];
const SHAPES: readonly unknown[] = [
  [],
  [0],
  [1],
  [2 ** 31, 2 ** 31],
  [2 ** 53],
  [1e15, 1e15, 1e15],
  [-1, 4],
  [1.5],
  ['2'],
  Array.from({ length: 10_000 }, () => 1),
  null,
  'shape',
];

type Edit = (entry: Record<string, unknown>, data: Uint8Array, r: SeededRandom) => string;

const pick = <T>(r: SeededRandom, list: readonly T[]): T => list[r.int(0, list.length)]!;

/** Edits of one tensor's header entry; each returns a label. */
const EDITS: readonly Edit[] = [
  (e, _d, r) => {
    const offsets = [...(e.data_offsets as number[])];
    const i = r.int(0, 2);
    offsets[i] = r.next() < 0.5 ? pick(r, ODD_NUMBERS) : offsets[i]! + r.int(-16, 17);
    e.data_offsets = offsets;
    return `data_offsets = ${JSON.stringify(offsets)}`;
  },
  (e, d, r) => {
    const huge = [0, pick(r, [d.length + 4, 2 ** 40, 2 ** 53 - 1])];
    e.data_offsets = huge;
    e.shape = [huge[1]! / 4];
    e.dtype = 'F32';
    return `claims a huge tensor ${JSON.stringify(huge)}`;
  },
  (e, _d, r) => {
    e.data_offsets = pick(r, ODD_VALUES);
    return `data_offsets = ${JSON.stringify(e.data_offsets)}`;
  },
  (e, _d, r) => {
    e.dtype = pick(r, DTYPES);
    return `dtype = ${JSON.stringify(e.dtype)}`;
  },
  (e, _d, r) => {
    e.shape = pick(r, SHAPES);
    return `shape = ${JSON.stringify(e.shape).slice(0, 40)}`;
  },
  (e, _d, r) => {
    const shape = [...(e.shape as number[])];
    if (r.next() < 0.5) shape.reverse();
    else shape.push(pick(r, [0, 1, 2]));
    e.shape = shape;
    return `shape = ${JSON.stringify(shape)}`;
  },
  (e, _d, r) => {
    const key = pick(r, ['shape', 'dtype', 'data_offsets']);
    e[key] = deep(r.int(1000, 200_000));
    return `${key} nested deep`;
  },
  (e, _d, r) => {
    delete e[pick(r, ['shape', 'dtype', 'data_offsets'])];
    return 'a field removed';
  },
];

/** Edits of the whole header: remove, rename, add entries; bad __metadata__; not an object. */
const HEADER_EDITS: readonly ((h: Record<string, unknown>, r: SeededRandom) => string)[] = [
  (h, r) => {
    const names = Object.keys(h).filter((k) => k !== '__metadata__');
    delete h[pick(r, names)];
    return 'a tensor removed';
  },
  (h, r) => {
    const names = Object.keys(h).filter((k) => k !== '__metadata__');
    const name = pick(r, names);
    h[`${name}.x`] = h[name];
    delete h[name];
    return `${name} renamed`;
  },
  (h, r) => {
    h.__metadata__ = pick(r, [{ format: 7 }, null, [], 'pt', { a: { b: 'c' } }, deep(50_000)]);
    return '__metadata__ damaged';
  },
  (h, r) => {
    h[pick(r, ['__proto__', 'constructor', 'extra'])] = { dtype: 'F32', shape: [1], data_offsets: [0, 4] };
    return 'an extra entry';
  },
];

/** A damaged file and what was done to it. */
type Mutation = (seed: Uint8Array, r: SeededRandom) => { bytes: Uint8Array; label: string };

/** One tensor entry's field edited (dtype, shape, offsets: EDITS). */
const editTensorEntry: Mutation = (s, r) => {
  const { header, data } = split(s);
  const names = Object.keys(header).filter((k) => k !== '__metadata__');
  const name = pick(r, names);
  const label = pick(r, EDITS)(header[name] as Record<string, unknown>, data, r);
  return { bytes: join(JSON.stringify(header), data), label: `${name}: ${label}` };
};

const MUTATIONS: readonly (readonly [string, Mutation])[] = [
  [
    'header length',
    (s, r) => {
      const bytes = s.slice();
      const length = Number(new DataView(s.buffer, s.byteOffset, 8).getBigUint64(0, true));
      const value = pick(r, [
        0n,
        1n,
        2n,
        7n,
        BigInt(length - 1),
        BigInt(length + 1),
        BigInt(length + r.int(-64, 64)),
        BigInt(s.length),
        100_000_001n,
        2n ** 53n,
        2n ** 63n,
        2n ** 64n - 1n,
      ]);
      new DataView(bytes.buffer).setBigUint64(0, value < 0n ? 0n : value, true);
      return { bytes, label: `= ${value}` };
    },
  ],
  [
    'JSON header byte flips',
    (s, r) => {
      const bytes = s.slice();
      const length = Number(new DataView(s.buffer, s.byteOffset, 8).getBigUint64(0, true));
      const n = r.int(1, 6);
      for (let i = 0; i < n; i++)
        bytes[8 + r.int(0, length)] = pick(r, [
          0x22,
          0x7b,
          0x7d,
          0x5b,
          0x5d,
          0x2c,
          0x3a,
          0x30,
          0x39,
          0x2d,
          0x80,
          0xff,
          r.int(0, 256),
        ]);
      return { bytes, label: `${n} bytes` };
    },
  ],
  // Listed twice: a tensor entry's fields are where readers go wrong most, so they get twice the cases.
  ['tensor entry field', editTensorEntry],
  ['tensor entry field', editTensorEntry],
  [
    'header entries',
    (s, r) => {
      const { header, data } = split(s);
      return { bytes: join(JSON.stringify(header), data), label: pick(r, HEADER_EDITS)(header, r) };
    },
  ],
  [
    'header not an object',
    (s, r) => {
      const { data } = split(s);
      const text = pick(r, [
        '[]',
        '{',
        '{}',
        'null',
        '"x"',
        `{"a":${'['.repeat(100_000)}`,
        '{"a":1}',
        '\uFEFF{}',
      ]);
      return { bytes: join(text, data), label: text.slice(0, 20) };
    },
  ],
  [
    'data byte flips',
    (s, r) => {
      const bytes = s.slice();
      const { data } = split(s);
      const n = r.int(1, 33);
      for (let i = 0; i < n && data.length > 0; i++)
        bytes[s.length - data.length + r.int(0, data.length)] = r.int(0, 256);
      return { bytes, label: `${n} bytes` };
    },
  ],
  [
    'truncate',
    (s, r) => {
      const n = r.next() < 0.5 ? r.int(0, Math.min(s.length, 64)) : r.int(0, s.length);
      return { bytes: s.subarray(0, n), label: `to ${n}` };
    },
  ],
  [
    'append',
    (s, r) => {
      const extra = Array.from({ length: r.int(1, 64) }, () => r.int(0, 256));
      return { bytes: Uint8Array.from([...s, ...extra]), label: `${extra.length} bytes` };
    },
  ],
];

/** Parse, decode every tensor, load into `model`: what a user's file goes through. */
function readCase(bytes: Uint8Array, model: TfModel): void {
  const file = parseSafetensors(bytes);
  for (const t of file.tensors.values()) {
    if (FLOAT_DTYPES.has(t.dtype)) toFloat32(t);
    else if (INT_DTYPES.has(t.dtype)) toIntegers(t);
  }
  loadStateDict(model, file);
}

/**
 * Runs `cases` seeded damaged files against `model` (a tiny DenseNet; its weights change when a case
 * loads). Seeds: the model's own state_dict plus `seeds`. See FuzzReport; never throws for a reader failure.
 */
export function fuzzSafetensors(options: {
  cases: number;
  seed: number;
  model: TfModel;
  seeds?: readonly SafetensorsSeed[];
  caseLimitMs?: number;
}): FuzzReport {
  const all: SafetensorsSeed[] = [
    { name: 'state_dict', bytes: saveStateDict(options.model) },
    ...(options.seeds ?? []),
  ];
  const rng = new SeededRandom(options.seed);
  return runFuzzCases(options.cases, options.caseLimitMs ?? 2000, (c) => {
    const r = rng.fork();
    const seed = pick(r, all);
    const [kind, mutate] = pick(r, MUTATIONS);
    const mutant = mutate(seed.bytes, r);
    return {
      what: `case ${c} (${seed.name}, ${kind}: ${mutant.label})`,
      run: () => readCase(mutant.bytes, options.model),
    };
  });
}
