// Hostile checkpoints, written here byte by byte so these tests always run: a pickle calling os.system
// (which would create a marker file), builtins.eval, opcodes that build objects, and allowed globals used
// with argument shapes a state_dict never has. Each is refused with WEIGHTS_INVALID naming what it asked
// for, and the marker file never appears: nothing in the file ran.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isVoxlabError, type VoxlabError } from '../../common/errors.js';
import { readPytorchCheckpoint } from './readPytorch.js';
import { PickleWriter, stateDictPickle, torchSaveBytes, type TensorBytesToWrite } from './torchSaveBytes.js';

const dir = mkdtempSync(path.join(tmpdir(), 'voxlab-evil-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MARKER = path.join(dir, 'pwned');
const WEIGHT: TensorBytesToWrite = { dtype: 'F32', shape: [2], bytes: new Uint8Array(8) };

/** SHORT_BINUNICODE (protocol 4). */
const shortStr = (p: PickleWriter, s: string) => p.raw(0x8c, s.length, ...new TextEncoder().encode(s));
/** A pickle calling module.name(arg) through GLOBAL + REDUCE. */
const callViaGlobal = (module: string, name: string, arg: string) =>
  new PickleWriter().proto().global(module, name).str(arg).raw(0x85).reduce().stop();

/** The valid state_dict pickle's body (no PROTO, no STOP), to hide things beside it. */
const stateDictBody = [...stateDictPickle([['w', WEIGHT]]).subarray(2, -1)];

const CASES: readonly (readonly [string, Uint8Array, RegExp])[] = [
  ['os.system via GLOBAL posix system + REDUCE', callViaGlobal('posix', 'system', `touch ${MARKER}`), /asks to run posix\.system/],
  ['os.system via GLOBAL os system', callViaGlobal('os', 'system', `touch ${MARKER}`), /asks to run os\.system/],
  ['builtins.eval via STACK_GLOBAL (protocol 4)', (() => {
    const p = new PickleWriter().proto(4);
    shortStr(p, 'builtins');
    shortStr(p, 'eval');
    return p.raw(0x93).str(`__import__('os').system('touch ${MARKER}')`).raw(0x85).reduce().stop();
  })(), /asks to run builtins\.eval/],
  ['__builtin__.eval (Python 2 spelling)', callViaGlobal('__builtin__', 'eval', '1+1'), /asks to run __builtin__\.eval/],
  ['subprocess.Popen', callViaGlobal('subprocess', 'Popen', 'touch'), /asks to run subprocess\.Popen/],
  ['torch.load itself', callViaGlobal('torch', 'load', 'x.pt'), /asks to run torch\.load/],
  ['os.system hidden beside the state_dict, under an optimizer key', new PickleWriter().proto().raw(0x7d).mark()
    .str('model').raw(...stateDictBody)
    .str('optimizer').global('posix', 'system').str(`touch ${MARKER}`).raw(0x85).reduce()
    .raw(0x75).stop(), /asks to run posix\.system/],
  ['INST os system', new PickleWriter().proto().mark().str(`touch ${MARKER}`).raw(0x69, ...new TextEncoder().encode('os\nsystem\n')).stop(), /opcode INST/],
  ['NEWOBJ on an allowed class', new PickleWriter().proto().global('collections', 'OrderedDict').emptyTuple().raw(0x81).stop(), /opcode NEWOBJ/],
  ['EXT1 (the copyreg extension registry)', new PickleWriter().proto().raw(0x82, 1).stop(), /opcode EXT1/],
  ['a torch storage class called with REDUCE', new PickleWriter().proto().global('torch', 'FloatStorage').int(10).raw(0x85).reduce().stop(), /asks to call torch\.FloatStorage/],
  ['a string called as a function', new PickleWriter().proto().str('os.system').emptyTuple().reduce().stop(), /asks to call str/],
  ['OrderedDict called with arguments', new PickleWriter().proto().global('collections', 'OrderedDict').str('x').raw(0x85).reduce().stop(), /OrderedDict called with arguments/],
  ['_rebuild_tensor_v2 called with a string instead of a tuple', new PickleWriter().proto().global('torch._utils', '_rebuild_tensor_v2').str('rm -rf /').reduce().stop(), /called with a str, not a tuple/],
  ['_rebuild_tensor_v2 without a storage', new PickleWriter().proto().global('torch._utils', '_rebuild_tensor_v2').mark().str('s').int(0).emptyTuple().emptyTuple().raw(0x89).raw(0x7d).tuple().reduce().stop(), /arguments other than \(storage/],
  ['BUILD on a tuple', new PickleWriter().proto().emptyTuple().raw(0x7d).raw(0x62).stop(), /asks to set the state of a tuple/],
  ['a persistent id naming a non-storage class', new PickleWriter().proto().mark().str('storage').global('collections', 'OrderedDict').str('0').str('cpu').int(2).tuple().raw(0x51).stop(), /a storage of collections\.OrderedDict/],
];

function refusal(bytes: Uint8Array): VoxlabError {
  try {
    readPytorchCheckpoint(bytes, 'model.pt');
  } catch (e) {
    if (isVoxlabError(e)) return e;
    throw e;
  }
  throw new Error('expected the checkpoint to be refused');
}

describe('hostile checkpoints', () => {
  it.each(CASES)('refuses %s', (_, pickle, message) => {
    const e = refusal(torchSaveBytes([['w', WEIGHT]], { pickle }));
    expect(e.code).toBe('WEIGHTS_INVALID');
    expect(e.message).toMatch(message);
    expect(e.message).toMatch(/^model\.pt/);
  });

  it('says in words what the os.system pickle asked for', () => {
    const e = refusal(torchSaveBytes([], { pickle: callViaGlobal('posix', 'system', `touch ${MARKER}`) }));
    expect(e.message).toBe(
      'model.pt is not a plain PyTorch state_dict: it asks to run posix.system, which voxlab refuses to do (a checkpoint file can hide a program)',
    );
    expect(e.details).toMatchObject({ reason: 'refused', refused: 'posix.system' });
  });

  it('ran nothing: the marker file the pickles would create does not exist', () => {
    for (const [, pickle] of CASES) refusal(torchSaveBytes([['w', WEIGHT]], { pickle }));
    expect(existsSync(MARKER)).toBe(false);
  });
});
