// Writes files shaped like torch.save's (PyTorch 1.13, protocol 2): a STORED zip archive with 64-byte
// aligned entries, <prefix>/data.pkl pickling an OrderedDict of _rebuild_tensor_v2 calls, one storage entry
// per tensor. For the fuzzer (which needs valid seeds without Python) and for tests that hand-craft
// hostile pickles; voxlab itself saves safetensors, never this.

import { crc32 } from 'node:zlib';
import type { StorageDtype } from './pickleValues.js';

/** Builds a pickle opcode by opcode (binary opcodes only; see CPython's Lib/pickletools.py). */
export class PickleWriter {
  private readonly parts: number[] = [];

  /** Raw bytes (opcodes and their arguments). */
  raw(...bytes: number[]): this {
    for (const b of bytes) this.parts.push(b);
    return this;
  }

  proto(version = 2): this {
    return this.raw(0x80, version);
  }

  /** GLOBAL 'module\nname\n'. */
  global(module: string, name: string): this {
    return this.raw(0x63, ...utf8(`${module}\n${name}\n`));
  }

  /** BINUNICODE. */
  str(s: string): this {
    const b = utf8(s);
    return this.raw(0x58, ...u32(b.length), ...b);
  }

  /** BININT1, BININT2 or BININT as the value needs. */
  int(n: number): this {
    if (n >= 0 && n < 256) return this.raw(0x4b, n);
    if (n >= 0 && n < 65536) return this.raw(0x4d, n & 0xff, n >> 8);
    return this.raw(0x4a, ...u32(n >>> 0));
  }

  mark(): this {
    return this.raw(0x28);
  }

  tuple(): this {
    return this.raw(0x74);
  }

  emptyTuple(): this {
    return this.raw(0x29);
  }

  reduce(): this {
    return this.raw(0x52);
  }

  stop(): Uint8Array {
    return Uint8Array.from([...this.parts, 0x2e]);
  }
}

const STORAGE_CLASS: Readonly<Record<string, string>> = {
  F32: 'FloatStorage',
  F64: 'DoubleStorage',
  F16: 'HalfStorage',
  BF16: 'BFloat16Storage',
  I64: 'LongStorage',
};

/** A tensor to write: little-endian C-order bytes of `dtype` (F32, F64, F16, BF16 or I64) over `shape`. */
export interface TensorBytesToWrite {
  readonly dtype: StorageDtype;
  readonly shape: readonly number[];
  readonly bytes: Uint8Array;
}

/** The pickle torch.save writes for an OrderedDict state_dict whose tensor i lives in storage entry "i". */
export function stateDictPickle(tensors: readonly (readonly [string, TensorBytesToWrite])[]): Uint8Array {
  const p = new PickleWriter().proto().global('collections', 'OrderedDict').emptyTuple().reduce().mark();
  tensors.forEach(([name, t], i) => {
    const itemBytes = t.dtype === 'F64' || t.dtype === 'I64' ? 8 : t.dtype === 'F32' ? 4 : 2;
    p.str(name).global('torch._utils', '_rebuild_tensor_v2').mark();
    p.mark().str('storage').global('torch', STORAGE_CLASS[t.dtype]!).str(String(i)).str('cpu');
    p.int(t.bytes.length / itemBytes).tuple().raw(0x51); // BINPERSID
    p.int(0).mark();
    for (const d of t.shape) p.int(d);
    p.tuple().mark();
    let stride = 1;
    const strides = t.shape.map(() => 0);
    for (let axis = t.shape.length - 1; axis >= 0; axis--) {
      strides[axis] = stride;
      stride *= t.shape[axis]!;
    }
    for (const s of strides) p.int(s);
    p.tuple().raw(0x89).global('collections', 'OrderedDict').emptyTuple().reduce().tuple().reduce();
  });
  return p.raw(0x75).stop(); // SETITEMS
}

/** A torch.save-like checkpoint of `tensors` (archive folder `prefix`), or with a custom data.pkl. */
export function torchSaveBytes(
  tensors: readonly (readonly [string, TensorBytesToWrite])[],
  options: { prefix?: string; pickle?: Uint8Array } = {},
): Uint8Array {
  const prefix = options.prefix ?? 'archive';
  return storedZip([
    [`${prefix}/data.pkl`, options.pickle ?? stateDictPickle(tensors)],
    ...tensors.map(([, t], i) => [`${prefix}/data/${i}`, t.bytes] as const),
    [`${prefix}/version`, Uint8Array.from(utf8('3\n'))],
  ]);
}

/** A zip archive of STORED entries, each entry's data 64-byte aligned through an extra field, as PyTorch pads. */
export function storedZip(entries: readonly (readonly [string, Uint8Array])[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const nameBytes = utf8(name);
    const unpadded = offset + 30 + nameBytes.length + 4;
    const padding = (64 - (unpadded % 64)) % 64;
    const extra = Uint8Array.from([0x46, 0x42, padding & 0xff, padding >> 8, ...new Array<number>(padding).fill(0x5a)]);
    const crc = crc32(data) >>> 0;
    const fields = (signature: number, local: boolean) => [
      ...u32(signature),
      ...(local ? [] : [0x2d, 0]),
      0x2d, 0, 0, 0x08, 0, 0, 0, 0, 0, 0,
      ...u32(crc), ...u32(data.length), ...u32(data.length),
      nameBytes.length & 0xff, nameBytes.length >> 8,
      ...(local ? [extra.length & 0xff, extra.length >> 8] : [...new Array<number>(12).fill(0), ...u32(offset)]),
    ];
    const local = Uint8Array.from([...fields(0x04034b50, true), ...nameBytes, ...extra]);
    central.push(Uint8Array.from([...fields(0x02014b50, false), ...nameBytes]));
    chunks.push(local, data);
    offset += local.length + data.length;
  }
  const cdSize = central.reduce((n, c) => n + c.length, 0);
  const count = [entries.length & 0xff, entries.length >> 8];
  const eocd = Uint8Array.from([...u32(0x06054b50), 0, 0, 0, 0, ...count, ...count, ...u32(cdSize), ...u32(offset), 0, 0]);
  const out = new Uint8Array(offset + cdSize + eocd.length);
  let at = 0;
  for (const c of [...chunks, ...central, eocd]) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function utf8(s: string): number[] {
  return [...new TextEncoder().encode(s)];
}

function u32(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}
