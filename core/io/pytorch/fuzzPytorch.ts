// Fuzzes the PyTorch checkpoint reader: damages small torch.save-like files (torchSaveBytes) in many ways
// and checks that every case either reads or throws a VoxlabError, quickly. Pickle damage is re-zipped
// with fresh CRCs so that it reaches the unpickler instead of stopping at the zip's checksum.

import { SeededRandom } from '../../common/random.js';
import { runFuzzCases, type FuzzReport } from '../fuzz.js';
import { readPytorchCheckpoint } from './readPytorch.js';
import { PickleWriter, stateDictPickle, storedZip, type TensorBytesToWrite } from './torchSaveBytes.js';

interface Seed {
  readonly name: string;
  readonly pickle: Uint8Array;
  readonly storages: readonly Uint8Array[];
}

function bytesOf(values: number[], dtype: 'F32' | 'F16' | 'I64'): Uint8Array {
  if (dtype === 'I64') return new Uint8Array(BigInt64Array.from(values, (v) => BigInt(v)).buffer);
  if (dtype === 'F16') return new Uint8Array(Uint16Array.from(values, (v) => 0x3c00 + v).buffer);
  return new Uint8Array(Float32Array.from(values).buffer);
}

function seeds(): Seed[] {
  const tensors: [string, TensorBytesToWrite][] = [
    [
      'features.conv0.weight',
      {
        dtype: 'F32',
        shape: [2, 1, 3, 3, 3],
        bytes: bytesOf(
          Array.from({ length: 54 }, (_, i) => i / 7),
          'F32',
        ),
      },
    ],
    ['features.norm0.weight', { dtype: 'F16', shape: [2], bytes: bytesOf([1, 2], 'F16') }],
    ['features.norm0.num_batches_tracked', { dtype: 'I64', shape: [], bytes: bytesOf([12], 'I64') }],
    ['class_layers.out.bias', { dtype: 'F32', shape: [2], bytes: bytesOf([0.5, -0.5], 'F32') }],
  ];
  const plain = stateDictPickle(tensors);
  const body = [...plain.subarray(2, -1)];
  const wrapped = new PickleWriter()
    .proto()
    .raw(0x7d)
    .mark()
    .str('model')
    .raw(...body)
    .str('epoch')
    .int(3)
    .raw(0x75)
    .stop();
  const storages = tensors.map(([, t]) => t.bytes);
  return [
    { name: 'state_dict.pt', pickle: plain, storages },
    { name: 'wrapped.pt', pickle: wrapped, storages },
  ];
}

function zipOf(pickle: Uint8Array, storages: readonly Uint8Array[]): Uint8Array {
  return storedZip([
    ['archive/data.pkl', pickle],
    ...storages.map((s, i) => [`archive/data/${i}`, s] as const),
    ['archive/version', Uint8Array.from([0x33, 0x0a])],
  ]);
}

type Mutation = (seed: Seed, r: SeededRandom) => { bytes: Uint8Array; label: string };

const flip = (bytes: Uint8Array, r: SeededRandom, count: number): string[] => {
  const done: string[] = [];
  for (let i = 0; i < count && bytes.length > 0; i++) {
    const at = r.int(0, bytes.length);
    bytes[at] = r.int(0, 256);
    done.push(String(at));
  }
  return done;
};

/** Bytes the unpickler knows, so spliced opcodes are often valid ones. */
const OPCODES = [
  0x28, 0x29, 0x30, 0x4b, 0x4e, 0x51, 0x52, 0x58, 0x5d, 0x61, 0x62, 0x63, 0x68, 0x71, 0x73, 0x74, 0x75, 0x7d,
  0x85, 0x88, 0x8a, 0x93, 0x94,
];

const MUTATIONS: readonly (readonly [string, Mutation])[] = [
  [
    'flip file bytes',
    (s, r) => {
      const bytes = zipOf(s.pickle, s.storages);
      return { bytes, label: `at ${flip(bytes, r, r.int(1, 9)).join(',')}` };
    },
  ],
  [
    'truncate',
    (s, r) => {
      const bytes = zipOf(s.pickle, s.storages);
      const n = r.int(0, bytes.length);
      return { bytes: bytes.subarray(0, n), label: `to ${n}` };
    },
  ],
  [
    'flip pickle bytes (fresh CRC)',
    (s, r) => {
      const pickle = s.pickle.slice();
      return { bytes: zipOf(pickle, s.storages), label: `at ${flip(pickle, r, r.int(1, 5)).join(',')}` };
    },
  ],
  [
    'splice opcodes into the pickle',
    (s, r) => {
      const at = r.int(0, s.pickle.length);
      const inserted = Array.from({ length: r.int(1, 6) }, () => OPCODES[r.int(0, OPCODES.length)]!);
      const pickle = Uint8Array.from([...s.pickle.subarray(0, at), ...inserted, ...s.pickle.subarray(at)]);
      return { bytes: zipOf(pickle, s.storages), label: `${inserted.join(',')} at ${at}` };
    },
  ],
  [
    'cut a range out of the pickle',
    (s, r) => {
      const at = r.int(0, s.pickle.length);
      const n = r.int(1, 40);
      const pickle = Uint8Array.from([...s.pickle.subarray(0, at), ...s.pickle.subarray(at + n)]);
      return { bytes: zipOf(pickle, s.storages), label: `${n} at ${at}` };
    },
  ],
  [
    'change a storage entry size',
    (s, r) => {
      const i = r.int(0, s.storages.length);
      const storages = s.storages.map((b, j) => (j === i ? b.subarray(0, r.int(0, b.length + 1)) : b));
      return { bytes: zipOf(s.pickle, storages), label: `storage ${i} to ${storages[i]!.length}` };
    },
  ],
  [
    'damage a central-directory or EOCD field',
    (s, r) => {
      const bytes = zipOf(s.pickle, s.storages);
      const view = new DataView(bytes.buffer);
      const eocd = bytes.length - 22;
      const cd = view.getUint32(eocd + 16, true);
      const fields = [cd + 20, cd + 24, cd + 28, cd + 30, cd + 42, eocd + 10, eocd + 12, eocd + 16];
      const at = fields[r.int(0, fields.length)]!;
      const value = [0, 0xffffffff, r.int(0, 2 ** 31), r.int(0, 256)][r.int(0, 4)]!;
      if (at === eocd + 10 || at === cd + 28 || at === cd + 30) view.setUint16(at, value & 0xffff, true);
      else view.setUint32(at, value, true);
      return { bytes, label: `byte ${at} = ${value}` };
    },
  ],
];

/** Runs `cases` seeded damaged checkpoints; see FuzzReport (shared with the NIfTI fuzzer). Never throws for a reader failure. */
export function fuzzPytorch(options: { cases: number; seed: number; caseLimitMs?: number }): FuzzReport {
  const all = seeds();
  const rng = new SeededRandom(options.seed);
  return runFuzzCases(options.cases, options.caseLimitMs ?? 2000, (c) => {
    const r = rng.fork();
    const seed = all[r.int(0, all.length)]!;
    const [kind, mutate] = MUTATIONS[r.int(0, MUTATIONS.length)]!;
    const mutant = mutate(seed, r);
    return {
      what: `case ${c} (${seed.name}, ${kind}: ${mutant.label})`,
      run: () => void readPytorchCheckpoint(mutant.bytes, seed.name),
    };
  });
}
