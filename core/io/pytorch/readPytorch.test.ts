// The checkpoint reader on files written here (torchSaveBytes: torch.save's layout, no Python needed): a
// state_dict reads back exactly, wrapped or with DataParallel's prefix too; non-contiguous tensors are
// gathered; legacy files, TorchScript archives and other zips are refused with what to do.

import { describe, expect, it } from 'vitest';
import { isVoxlabError } from '../../common/errors.js';
import { PickleWriter, stateDictPickle, storedZip, torchSaveBytes, type TensorBytesToWrite } from './torchSaveBytes.js';
import { readPytorchCheckpoint } from './readPytorch.js';

const f32 = (values: number[]): Uint8Array => new Uint8Array(Float32Array.from(values).buffer);
const WEIGHT: TensorBytesToWrite = { dtype: 'F32', shape: [2, 3], bytes: f32([1, 2, 3, 4, 5, 6]) };
const COUNT: TensorBytesToWrite = { dtype: 'I64', shape: [], bytes: new Uint8Array(BigInt64Array.from([7n]).buffer) };
const TENSORS = [
  ['conv.weight', WEIGHT],
  ['norm.num_batches_tracked', COUNT],
] as const;

function error(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (isVoxlabError(e)) return e;
    throw e;
  }
  throw new Error('expected a VoxlabError');
}

/** The pickle of `{outerKey: <state_dict>, 'epoch': 3}` (as ignite's CheckpointSaver wraps one). */
function wrappedPickle(outerKey: string, names: readonly string[]): Uint8Array {
  const inner = stateDictPickle(names.map((n, i) => [n, TENSORS[i]![1]]));
  // Drop the inner PROTO (2 bytes) and STOP (1 byte): a dict {outerKey: inner, 'epoch': 3} around it.
  const body = [...inner.subarray(2, inner.length - 1)];
  return new PickleWriter().proto().raw(0x7d).mark().str(outerKey).raw(...body).str('epoch').int(3).raw(0x75).stop();
}

describe('readPytorchCheckpoint', () => {
  it('reads a bare state_dict exactly, in file order and dtype', () => {
    const file = readPytorchCheckpoint(torchSaveBytes(TENSORS), 'model.pt');
    expect([...file.tensors.keys()]).toEqual(['conv.weight', 'norm.num_batches_tracked']);
    const w = file.tensors.get('conv.weight')!;
    expect(w).toMatchObject({ dtype: 'F32', shape: [2, 3] });
    expect([...new Float32Array(w.bytes.slice().buffer)]).toEqual([1, 2, 3, 4, 5, 6]);
    const n = file.tensors.get('norm.num_batches_tracked')!;
    expect(n).toMatchObject({ dtype: 'I64', shape: [] });
    expect(new BigInt64Array(n.bytes.slice().buffer)[0]).toBe(7n);
  });

  it.each(['model', 'state_dict', 'model_state_dict', 'network'])("finds the state_dict under '%s'", (key) => {
    const bytes = torchSaveBytes(TENSORS, { pickle: wrappedPickle(key, ['conv.weight', 'norm.num_batches_tracked']) });
    expect([...readPytorchCheckpoint(bytes, 'ckpt.pt').tensors.keys()]).toEqual(['conv.weight', 'norm.num_batches_tracked']);
  });

  it("strips DataParallel's 'module.' prefix when every key has it", () => {
    const bytes = torchSaveBytes(TENSORS.map(([k, t]) => [`module.${k}`, t] as const));
    expect([...readPytorchCheckpoint(bytes, 'ddp.pt').tensors.keys()]).toEqual(['conv.weight', 'norm.num_batches_tracked']);
  });

  it('gathers a non-contiguous tensor (a transposed view) through its strides', () => {
    // Storage 0..5 as [2, 3]; the tensor is its transpose: shape [3, 2], stride [1, 3].
    const p = new PickleWriter().proto().global('collections', 'OrderedDict').emptyTuple().reduce().mark();
    p.str('t').global('torch._utils', '_rebuild_tensor_v2').mark();
    p.mark().str('storage').global('torch', 'FloatStorage').str('0').str('cpu').int(6).tuple().raw(0x51);
    p.int(0).mark().int(3).int(2).tuple().mark().int(1).int(3).tuple();
    p.raw(0x89).global('collections', 'OrderedDict').emptyTuple().reduce().tuple().reduce().raw(0x75);
    const bytes = torchSaveBytes([['t', WEIGHT]], { pickle: p.stop() });
    const t = readPytorchCheckpoint(bytes, 't.pt').tensors.get('t')!;
    expect(t.shape).toEqual([3, 2]);
    expect([...new Float32Array(t.bytes.slice().buffer)]).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('refuses legacy (pre-1.6) files, TorchScript archives and zips torch.save did not write, saying what to do', () => {
    const legacy = error(() => readPytorchCheckpoint(Uint8Array.from([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc]), 'old.pth'));
    expect(legacy.code).toBe('WEIGHTS_INVALID');
    expect(legacy.message).toMatch(/^old\.pth: .*legacy format.*torch\.save\(model\.state_dict\(\), path\) in PyTorch 1\.6 or newer/);
    const script = storedZip([
      ['m/data.pkl', new PickleWriter().proto().raw(0x4e).stop()],
      ['m/constants.pkl', new PickleWriter().proto().raw(0x29).stop()],
      ['m/code/__torch__.py', new Uint8Array(4)],
    ]);
    expect(error(() => readPytorchCheckpoint(script, 'm.pt')).message).toMatch(/TorchScript archive.*torch\.jit\.load/);
    expect(error(() => readPytorchCheckpoint(storedZip([['readme.txt', new Uint8Array(3)]]), 'x.pt')).message).toMatch(
      /without <folder>\/data\.pkl/,
    );
    expect(error(() => readPytorchCheckpoint(new Uint8Array(100), 'zeros.pt')).message).toMatch(/not a PyTorch checkpoint/);
  });

  it('refuses a file whose pickle holds no state_dict, naming what it holds', () => {
    const pickle = new PickleWriter().proto().raw(0x7d).mark().str('epoch').int(3).str('lr').raw(0x4e).raw(0x75).stop();
    const e = error(() => readPytorchCheckpoint(torchSaveBytes([], { pickle }), 'opt.pt'));
    expect(e.message).toMatch(/holds no state_dict: the file holds a dict with keys 'epoch', 'lr'/);
  });

  it('refuses a storage whose entry is shorter than its numel says, and a tensor outside its storage', () => {
    const short = torchSaveBytes([['w', { ...WEIGHT, bytes: WEIGHT.bytes.subarray(0, 20) }]], {
      pickle: stateDictPickle([['w', WEIGHT]]),
    });
    expect(error(() => readPytorchCheckpoint(short, 's.pt')).message).toMatch(/storage 0 should hold 6 F32 values \(24 bytes\) but its entry has 20/);
    const big = stateDictPickle([['w', { ...WEIGHT, shape: [3, 3] }]]);
    // Claimed numel 9 > the 6 stored: refused as a storage/entry size mismatch before any tensor is made.
    expect(error(() => readPytorchCheckpoint(torchSaveBytes([['w', WEIGHT]], { pickle: big }), 'b.pt')).code).toBe('WEIGHTS_INVALID');
  });
});
