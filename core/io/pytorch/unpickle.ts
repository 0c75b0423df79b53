// A restricted unpickler: the binary opcodes of pickle protocols 2-5 that plain data needs (ints, floats,
// str, bytes, None, bools, tuples, lists, dicts, the memo, MARK), nothing that imports or calls on its
// own. GLOBAL/STACK_GLOBAL, REDUCE, BUILD and BINPERSID are handed to a policy (torchPolicy.ts), which
// allows a few names and implements them itself. It executes nothing: every other opcode (INST, OBJ,
// NEWOBJ, EXT*, sets, out-of-band buffers, the text opcodes of protocol 0) is refused by name.
// Opcodes: CPython Lib/pickletools.py; protocol 2 is what torch.save writes.

import { checkpointError, refusedError } from './checkpointError.js';
import { PyDict, PyList, PyTuple, pyTypeName, type PyValue } from './pickleValues.js';

/** What the pickle may name and call: each method returns a value or throws the refusal. */
export interface UnpicklePolicy {
  global(module: string, name: string): PyValue;
  reduce(callable: PyValue, args: PyValue): PyValue;
  build(target: PyValue, state: PyValue): void;
  persistentLoad(pid: PyValue): PyValue;
}

export interface UnpickleLimits {
  /** Largest pickle read (default 64 MiB; a checkpoint's data.pkl is usually under 1 MiB). */
  readonly maxBytes?: number;
}

export const MAX_PICKLE_BYTES = 64 * 2 ** 20;
/** Longest module or name of a GLOBAL opcode (Python identifiers in dotted paths are far shorter). */
const MAX_GLOBAL_NAME = 256;

/** Opcodes refused by name: each builds or calls objects outside the policy, or is never in a torch.save pickle. */
const REFUSED: Readonly<Record<number, string>> = {
  0x69: 'INST (build an object of a class it names)',
  0x6f: 'OBJ (build an object)',
  0x81: 'NEWOBJ (build an object)',
  0x92: 'NEWOBJ_EX (build an object)',
  0x82: 'EXT1 (a registered extension)',
  0x83: 'EXT2 (a registered extension)',
  0x84: 'EXT4 (a registered extension)',
  0x50: 'PERSID (a text persistent id)',
  0x97: 'NEXT_BUFFER (an out-of-band buffer)',
  0x98: 'READONLY_BUFFER (an out-of-band buffer)',
  0x8f: 'EMPTY_SET',
  0x90: 'ADDITEMS',
  0x91: 'FROZENSET',
  0x96: 'BYTEARRAY8',
};

/**
 * Unpickles `bytes` under `policy`. Throws WEIGHTS_INVALID naming `name` for a truncated or malformed
 * pickle, an opcode outside the set above, or whatever the policy refuses. Runs in time linear in the size.
 */
export function unpickle(bytes: Uint8Array, name: string, policy: UnpicklePolicy, limits: UnpickleLimits = {}): PyValue {
  const maxBytes = limits.maxBytes ?? MAX_PICKLE_BYTES;
  if (bytes.length > maxBytes)
    throw checkpointError(name, `its pickle (data.pkl) has ${bytes.length} bytes, more than the ${maxBytes} voxlab reads`, 'pickle-size');
  return new Machine(bytes, name, policy).run();
}

class Machine {
  private pos = 0;
  private stack: PyValue[] = [];
  private readonly marks: PyValue[][] = [];
  private readonly memo = new Map<number, PyValue>();
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly name: string,
    private readonly policy: UnpicklePolicy,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  run(): PyValue {
    for (;;) {
      const at = this.pos;
      const op = this.u8();
      try {
        if (op === 0x2e) return this.pop(); // STOP
        this.step(op);
      } catch (e) {
        if (e instanceof TypeError) throw this.fail(`${e.message} (opcode 0x${op.toString(16)} at byte ${at})`);
        throw e;
      }
    }
  }

  private step(op: number): void {
    switch (op) {
      case 0x80: // PROTO
        if (this.u8() > 5) throw this.fail('it uses a pickle protocol newer than 5');
        return;
      case 0x95: // FRAME: an 8-byte length the reader need not use
        this.take(8);
        return;
      case 0x28: // MARK
        this.marks.push(this.stack);
        this.stack = [];
        return;
      case 0x30: // POP
        this.pop();
        return;
      case 0x31: // POP_MARK
        this.popMark();
        return;
      case 0x32: // DUP
        this.push(this.top());
        return;
      default:
        if (this.pushConstant(op) || this.container(op) || this.memoOp(op) || this.objectOp(op)) return;
        if (REFUSED[op] !== undefined)
          throw refusedError(this.name, `use the pickle opcode ${REFUSED[op]}`, REFUSED[op].split(' ')[0]!);
        throw this.fail(`unknown or unsupported pickle opcode 0x${op.toString(16).padStart(2, '0')} at byte ${this.pos - 1}`);
    }
  }

  /** Ints, floats, strings, bytes, None and bools. */
  private pushConstant(op: number): boolean {
    const v = this.view;
    switch (op) {
      case 0x4a: // BININT
        this.push(v.getInt32(this.take(4), true));
        return true;
      case 0x4b: // BININT1
        this.push(this.u8());
        return true;
      case 0x4d: // BININT2
        this.push(v.getUint16(this.take(2), true));
        return true;
      case 0x8a: // LONG1
        this.push(this.long(this.u8()));
        return true;
      case 0x8b: // LONG4
        this.push(this.long(v.getInt32(this.take(4), true)));
        return true;
      case 0x47: // BINFLOAT: big-endian
        this.push(v.getFloat64(this.take(8), false));
        return true;
      case 0x4e: // NONE
        this.push(null);
        return true;
      case 0x88: // NEWTRUE
      case 0x89: // NEWFALSE
        this.push(op === 0x88);
        return true;
      case 0x58: // BINUNICODE
      case 0x8c: // SHORT_BINUNICODE
      case 0x8d: // BINUNICODE8
        this.push(this.utf8(this.bytesOf(this.lengthFor(op, 0x8c, 0x8d))));
        return true;
      case 0x42: // BINBYTES
      case 0x43: // SHORT_BINBYTES
      case 0x8e: // BINBYTES8
        this.push(this.bytesOf(this.lengthFor(op, 0x43, 0x8e)));
        return true;
      default:
        return false;
    }
  }

  /** Tuples, lists and dicts. */
  private container(op: number): boolean {
    switch (op) {
      case 0x29: // EMPTY_TUPLE
        this.push(new PyTuple([]));
        return true;
      case 0x74: // TUPLE
        this.push(new PyTuple(this.popMark()));
        return true;
      case 0x85: // TUPLE1
      case 0x86: // TUPLE2
      case 0x87: {
        // TUPLE3
        const n = op - 0x84;
        if (this.stack.length < n) throw this.fail(`TUPLE${n} needs ${n} values on the stack`);
        this.push(new PyTuple(this.stack.splice(this.stack.length - n, n)));
        return true;
      }
      case 0x5d: // EMPTY_LIST
        this.push(new PyList());
        return true;
      case 0x6c: // LIST
        this.push(new PyList(this.popMark()));
        return true;
      case 0x61: // APPEND
      case 0x65: {
        // APPENDS
        const items = op === 0x61 ? [this.pop()] : this.popMark();
        const list = this.top();
        if (!(list instanceof PyList)) throw this.fail(`APPEND to a ${pyTypeName(list)}, not a list`);
        for (const item of items) list.items.push(item);
        return true;
      }
      case 0x7d: // EMPTY_DICT
        this.push(new PyDict());
        return true;
      case 0x64: // DICT
        this.push(this.setItems(new PyDict(), this.popMark()));
        return true;
      case 0x73: {
        // SETITEM
        const value = this.pop();
        const key = this.pop();
        this.setItems(this.top(), [key, value]);
        return true;
      }
      case 0x75: {
        // SETITEMS
        const items = this.popMark();
        this.setItems(this.top(), items);
        return true;
      }
      default:
        return false;
    }
  }

  private memoOp(op: number): boolean {
    const v = this.view;
    switch (op) {
      case 0x71: // BINPUT
        this.memo.set(this.u8(), this.top());
        return true;
      case 0x72: // LONG_BINPUT
        this.memo.set(v.getUint32(this.take(4), true), this.top());
        return true;
      case 0x94: // MEMOIZE
        this.memo.set(this.memo.size, this.top());
        return true;
      case 0x68: // BINGET
      case 0x6a: {
        // LONG_BINGET
        const index = op === 0x68 ? this.u8() : v.getUint32(this.take(4), true);
        if (!this.memo.has(index)) throw this.fail(`it reads memo slot ${index}, which was never written`);
        this.push(this.memo.get(index)!);
        return true;
      }
      default:
        return false;
    }
  }

  /** The opcodes the policy decides: names, calls, state and persistent ids. */
  private objectOp(op: number): boolean {
    switch (op) {
      case 0x63: {
        // GLOBAL: "module\nname\n"
        const module = this.line();
        this.push(this.policy.global(module, this.line()));
        return true;
      }
      case 0x93: {
        // STACK_GLOBAL
        const globalName = this.pop();
        const module = this.pop();
        if (typeof module !== 'string' || typeof globalName !== 'string')
          throw this.fail('STACK_GLOBAL needs two strings on the stack');
        this.push(this.policy.global(module, globalName));
        return true;
      }
      case 0x52: {
        // REDUCE
        const args = this.pop();
        this.push(this.policy.reduce(this.pop(), args));
        return true;
      }
      case 0x62: {
        // BUILD
        const state = this.pop();
        this.policy.build(this.top(), state);
        return true;
      }
      case 0x51: // BINPERSID
        this.push(this.policy.persistentLoad(this.pop()));
        return true;
      default:
        return false;
    }
  }

  private setItems(target: PyValue, items: PyValue[]): PyDict {
    if (!(target instanceof PyDict)) throw this.fail(`SETITEM on a ${pyTypeName(target)}, not a dict`);
    if (items.length % 2 !== 0) throw this.fail('SETITEMS with an odd number of values');
    for (let i = 0; i < items.length; i += 2) target.set(items[i]!, items[i + 1]!);
    return target;
  }

  private push(value: PyValue): void {
    this.stack.push(value);
  }

  private pop(): PyValue {
    if (this.stack.length === 0) throw this.fail(`the stack is empty at byte ${this.pos - 1}`);
    return this.stack.pop()!;
  }

  private top(): PyValue {
    if (this.stack.length === 0) throw this.fail(`the stack is empty at byte ${this.pos - 1}`);
    return this.stack[this.stack.length - 1]!;
  }

  private popMark(): PyValue[] {
    const items = this.stack;
    const outer = this.marks.pop();
    if (outer === undefined) throw this.fail(`no MARK before byte ${this.pos - 1}`);
    this.stack = outer;
    return items;
  }

  /** Advances over `n` bytes and returns where they start; throws when the pickle ends first. */
  private take(n: number): number {
    if (n > this.bytes.length - this.pos)
      throw this.fail(`it ends at byte ${this.bytes.length}, in the middle of an opcode (truncated?)`);
    const at = this.pos;
    this.pos += n;
    return at;
  }

  private u8(): number {
    return this.bytes[this.take(1)]!;
  }

  private lengthFor(op: number, short: number, long: number): number {
    if (op === short) return this.u8();
    if (op !== long) return this.view.getUint32(this.take(4), true);
    const n = this.view.getBigUint64(this.take(8), true);
    return n > BigInt(this.bytes.length) ? this.bytes.length + 1 : Number(n);
  }

  private bytesOf(n: number): Uint8Array {
    const at = this.take(n);
    return this.bytes.subarray(at, at + n);
  }

  /** A two's-complement little-endian int of `n` bytes (LONG1/LONG4); at most 8 bytes (a state_dict needs no more). */
  private long(n: number): number | bigint {
    if (n < 0 || n > 8) throw this.fail(`a ${n}-byte integer: voxlab reads integers of at most 8 bytes`);
    const raw = this.bytesOf(n);
    let value = 0n;
    for (let i = n - 1; i >= 0; i--) value = (value << 8n) | BigInt(raw[i]!);
    if (n > 0 && raw[n - 1]! >= 0x80) value -= 1n << BigInt(8 * n);
    const small = value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER);
    return small ? Number(value) : value;
  }

  /** A newline-terminated ASCII line (GLOBAL's module and name). */
  private line(): string {
    const end = this.bytes.subarray(this.pos, this.pos + MAX_GLOBAL_NAME + 1).indexOf(0x0a);
    if (end < 0) throw this.fail(`a GLOBAL name at byte ${this.pos} is unterminated or longer than ${MAX_GLOBAL_NAME}`);
    const text = this.utf8(this.bytesOf(end));
    this.take(1);
    return text;
  }

  private utf8(raw: Uint8Array): string {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      throw this.fail('a string is not valid UTF-8');
    }
  }

  private fail(message: string): Error {
    return checkpointError(this.name, `its pickle (data.pkl) is damaged or not a state_dict: ${message}`, 'pickle');
  }
}
