// The lines of a bundle's metrics.jsonl (issue #14), parsed and checked, and a reader that returns the
// complete lines appended since its last read: a line still being written waits for its newline, a file
// rewritten from the start (a new run in the same folder) is read again from its first byte.

import { promises as fsp } from 'node:fs';
import { VoxlabError } from '../common/errors.js';
import type { EpochRecord } from '../train/checkpoint.js';

/** The first line: what the run trains on and where. */
export interface StartLine {
  readonly event: 'start';
  readonly epochs: number;
  readonly train: number;
  readonly val: number;
  readonly classes: readonly string[];
  readonly world_size: number;
  readonly device: string;
}

/** One finished epoch: voxlab's EpochRecord plus the event name. */
export type EpochLine = EpochRecord & { readonly event: 'epoch' };

/** Weights saved after an epoch; `file` is relative to the bundle's output folder. */
export interface CheckpointLine {
  readonly event: 'checkpoint';
  readonly epoch: number;
  readonly file: string;
  readonly best: { readonly epoch: number; readonly accuracy: number } | null;
}

export interface DoneLine {
  readonly event: 'done';
  readonly best_epoch: number | null;
  /** The model's weights, relative to the bundle's output folder (e.g. models/model.pt). */
  readonly model: string;
}

export interface ErrorLine {
  readonly event: 'error';
  readonly message: string;
}

export type MetricsLine = StartLine | EpochLine | CheckpointLine | DoneLine | ErrorLine;

/** A line that is not a metrics line, with its 1-based line number and why. */
export interface MalformedLine {
  readonly line: number;
  readonly text: string;
  readonly reason: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;
const isNumberOrNull = (v: unknown) => v === null || typeof v === 'number';

/** JSON.parse, also of Python's json.dumps output with bare NaN / Infinity (read as null). */
function parseJsonLoose(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const patched = text.replace(/([:,[]\s*)(-?Infinity|NaN)(?=\s*[,\]}])/g, '$1null');
    if (patched === text) throw e;
    return JSON.parse(patched);
  }
}

/** Why `v` is not a valid line of kind `event`, or null when it is. */
function problem(v: Record<string, unknown>): string | null {
  switch (v.event) {
    case 'start':
      if (!(Number.isInteger(v.epochs) && (v.epochs as number) >= 1)) return 'epochs must be a whole number >= 1';
      if (!Array.isArray(v.classes) || !v.classes.every((c) => typeof c === 'string'))
        return 'classes must be a list of names';
      return null;
    case 'epoch': {
      if (!(Number.isInteger(v.epoch) && (v.epoch as number) >= 1)) return 'epoch must be a whole number >= 1';
      const t = v.train;
      if (!isObject(t) || !isNumberOrNull(t.loss) || !isNumberOrNull(t.accuracy) || !isCount(t.n))
        return 'train must be {loss, accuracy, n}';
      const val = v.val;
      if (val !== null && (!isObject(val) || !isCount(val.n) || !Array.isArray(val.confusion)))
        return 'val must be null or {n, loss, accuracy, auc, confusion}';
      return typeof v.seconds === 'number' ? null : 'seconds must be a number';
    }
    case 'checkpoint':
      return Number.isInteger(v.epoch) && typeof v.file === 'string' ? null : 'needs epoch and file';
    case 'done':
      return typeof v.model === 'string' && v.model !== '' ? null : 'model must name the weights file';
    case 'error':
      return typeof v.message === 'string' ? null : 'message must be a string';
    default:
      return `unknown event ${JSON.stringify(v.event)}`;
  }
}

/** Parses one line of metrics.jsonl. Throws BAD_ARGUMENT (message: why) for anything else. */
export function parseMetricsLine(text: string): MetricsLine {
  let v: unknown;
  try {
    v = parseJsonLoose(text);
  } catch (e) {
    throw new VoxlabError('BAD_ARGUMENT', `not JSON (${(e as Error).message})`);
  }
  if (!isObject(v)) throw new VoxlabError('BAD_ARGUMENT', 'not a JSON object');
  const why = problem(v);
  if (why !== null) throw new VoxlabError('BAD_ARGUMENT', `${String(v.event)} line: ${why}`);
  if (v.event === 'epoch' && typeof v.backend !== 'string') return { ...v, backend: 'monai' } as EpochLine;
  return v as unknown as MetricsLine;
}

/** Reads a growing metrics.jsonl: each read() returns the complete lines appended since the last one. */
export class MetricsTail {
  private offset = 0;
  private carry: Buffer = Buffer.alloc(0);
  private lineNo = 0;

  constructor(readonly file: string) {}

  /**
   * The new complete lines, parsed, and the malformed ones. A missing file reads as nothing yet; a file that
   * shrank was rewritten (`restarted`): it is read again from the start. Throws IO_ERROR on other failures.
   */
  async read(): Promise<{ lines: MetricsLine[]; malformed: MalformedLine[]; restarted: boolean }> {
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(this.file, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { lines: [], malformed: [], restarted: false };
      throw ioError(this.file, e);
    }
    let chunk: Buffer;
    let restarted = false;
    try {
      const { size } = await handle.stat();
      if (size < this.offset) {
        restarted = true;
        this.offset = 0;
        this.carry = Buffer.alloc(0);
        this.lineNo = 0;
      }
      chunk = Buffer.alloc(size - this.offset);
      let got = 0;
      while (got < chunk.length) {
        const { bytesRead } = await handle.read(chunk, got, chunk.length - got, this.offset + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      chunk = chunk.subarray(0, got);
      this.offset += got;
    } catch (e) {
      throw ioError(this.file, e);
    } finally {
      await handle.close();
    }
    return { ...this.split(chunk), restarted };
  }

  /** Complete lines of carry + chunk (split on bytes, so a multi-byte character cut by a read stays whole). */
  private split(chunk: Buffer): { lines: MetricsLine[]; malformed: MalformedLine[] } {
    const data = Buffer.concat([this.carry, chunk]);
    const end = data.lastIndexOf(0x0a);
    this.carry = end < 0 ? data : data.subarray(end + 1);
    const lines: MetricsLine[] = [];
    const malformed: MalformedLine[] = [];
    if (end < 0) return { lines, malformed };
    for (const raw of data.subarray(0, end).toString('utf8').split('\n')) {
      this.lineNo++;
      const text = raw.trim();
      if (text === '') continue;
      try {
        lines.push(parseMetricsLine(text));
      } catch (e) {
        malformed.push({ line: this.lineNo, text: text.slice(0, 200), reason: (e as Error).message });
      }
    }
    return { lines, malformed };
  }
}

function ioError(file: string, e: unknown): VoxlabError {
  return new VoxlabError('IO_ERROR', `Cannot read ${file}: ${(e as Error).message}`, { path: file }, { cause: e });
}
