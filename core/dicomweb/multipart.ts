// multipart/related bodies (RFC 2046 section 5.1, RFC 2387) as WADO-RS sends them and STOW-RS takes them: a
// streaming parser that hands out each part as soon as its closing delimiter arrives, and a builder.
// Tolerant of what servers do in practice: a preamble, transport padding after a delimiter, bare LF line ends.

import { Buffer } from 'node:buffer';
import { VoxlabError } from '../common/errors.js';

/** One body part: its headers (names in lower case) and its bytes. */
export interface MultipartPart {
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Uint8Array;
}

/** A media type and its parameters (names in lower case, quoted values unquoted), e.g. of a Content-Type header. */
export function parseMediaType(value: string): { type: string; params: Map<string, string> } {
  const [type = '', ...rest] = splitOutsideQuotes(value, ';');
  const params = new Map<string, string>();
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    let v = p.slice(eq + 1).trim();
    if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
    params.set(p.slice(0, eq).trim().toLowerCase(), v);
  }
  return { type: type.trim().toLowerCase(), params };
}

function splitOutsideQuotes(value: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '"') quoted = !quoted;
    if (c === '\\' && quoted && i + 1 < value.length) {
      cur += c + value[++i]!;
      continue;
    }
    if (c === sep && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** The boundary of a multipart Content-Type; REMOTE_ERROR when the type is not multipart or has no usable boundary. */
export function boundaryOf(contentType: string | null): string {
  const { type, params } = parseMediaType(contentType ?? '');
  const boundary = params.get('boundary');
  if (!type.startsWith('multipart/') || boundary === undefined || boundary.length === 0 || boundary.length > 200)
    throw new VoxlabError('REMOTE_ERROR', `expected a multipart answer with a boundary, got Content-Type '${(contentType ?? '(none)').slice(0, 120)}'`);
  return boundary;
}

const LF = 0x0a;
const CR = 0x0d;
const MAX_HEADER_BYTES = 16 * 1024;

/** Bytes received and not yet consumed, in one growable buffer (amortised O(1) appends, no quadratic copying). */
class ByteQueue {
  private buf = Buffer.alloc(0);
  private start = 0;
  private end = 0;

  append(chunk: Uint8Array): void {
    if (this.end + chunk.length > this.buf.length) {
      const live = this.end - this.start;
      const next = live + chunk.length <= this.buf.length / 2 ? this.buf : Buffer.allocUnsafe(Math.max(2 * (live + chunk.length), 64 * 1024));
      this.buf.copy(next, 0, this.start, this.end);
      this.buf = next;
      this.start = 0;
      this.end = live;
    }
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }

  view(): Buffer {
    return this.buf.subarray(this.start, this.end);
  }

  consume(n: number): void {
    this.start += n;
  }
}

type State = 'preamble' | 'delimiter' | 'headers' | 'body' | 'done';

/**
 * A streaming multipart parser: `push` chunks as they arrive and get the parts completed by them; `end` when
 * the stream ends. REMOTE_ERROR for a malformed body; REMOTE_ERROR with details.truncated when the stream
 * ends before the close delimiter (a dropped connection looks like that).
 */
export class MultipartParser {
  private readonly queue = new ByteQueue();
  /** `--boundary` and `\n--boundary`: the delimiter at the start of the body and after a line end. */
  private readonly dashBoundary: Buffer;
  private readonly lfDelimiter: Buffer;
  private state: State = 'preamble';
  private scanFrom = 0;
  private received = 0;
  private count = 0;
  private headers = new Map<string, string>();

  constructor(boundary: string) {
    this.dashBoundary = Buffer.from(`--${boundary}`, 'latin1');
    this.lfDelimiter = Buffer.from(`\n--${boundary}`, 'latin1');
  }

  /** Whether the close delimiter was seen. */
  get done(): boolean {
    return this.state === 'done';
  }

  /** Feeds `chunk`; returns the parts it completed, in order. Bytes after the close delimiter (epilogue) are ignored. */
  push(chunk: Uint8Array): MultipartPart[] {
    this.received += chunk.length;
    if (this.state === 'done') return [];
    this.queue.append(chunk);
    const parts: MultipartPart[] = [];
    while (this.step(parts));
    return parts;
  }

  /** Ends the stream: REMOTE_ERROR (details.truncated) unless the close delimiter was seen. */
  end(): void {
    if (this.state === 'done') return;
    if (this.state === 'preamble' && this.received > 0)
      throw new VoxlabError('REMOTE_ERROR', `the multipart answer holds no part delimiter (${this.received} bytes)`, { received: this.received });
    throw new VoxlabError('REMOTE_ERROR', `the multipart answer ends before its closing delimiter, after ${this.count} complete part(s) and ${this.received} bytes`, {
      truncated: true,
      parts: this.count,
    });
  }

  /** Advances by one state; false when more bytes are needed. */
  private step(parts: MultipartPart[]): boolean {
    const view = this.queue.view();
    switch (this.state) {
      case 'preamble':
        return this.skipPreamble(view);
      case 'delimiter':
        return this.afterDelimiter(view);
      case 'headers':
        return this.readHeaders(view);
      case 'body':
        return this.readBody(view, parts);
      case 'done':
        return false;
    }
  }

  private skipPreamble(view: Buffer): boolean {
    if (view.length < this.dashBoundary.length) return false;
    if (this.scanFrom === 0 && view.subarray(0, this.dashBoundary.length).equals(this.dashBoundary)) {
      this.queue.consume(this.dashBoundary.length);
      this.state = 'delimiter';
      return true;
    }
    const at = view.indexOf(this.lfDelimiter);
    if (at < 0) {
      // Keep only what could be the start of a delimiter; the preamble itself is of no interest.
      const keep = this.lfDelimiter.length - 1;
      this.queue.consume(Math.max(0, view.length - keep));
      this.scanFrom = 1;
      return false;
    }
    this.queue.consume(at + this.lfDelimiter.length);
    this.scanFrom = 0;
    this.state = 'delimiter';
    return true;
  }

  /** After `--boundary`: `--` closes the body; otherwise transport padding (spaces, tabs) and a line end. */
  private afterDelimiter(view: Buffer): boolean {
    if (view.length < 2) return false;
    if (view[0] === 0x2d && view[1] === 0x2d) {
      this.state = 'done';
      return false;
    }
    const lf = view.indexOf(LF);
    if (lf < 0) {
      if (view.length > 256) throw malformed('a delimiter is followed by text instead of a line end');
      return false;
    }
    const padding = view.subarray(0, view[lf - 1] === CR ? lf - 1 : lf);
    if (padding.some((b) => b !== 0x20 && b !== 0x09)) throw malformed('a delimiter is followed by text instead of a line end');
    this.queue.consume(lf + 1);
    this.headers = new Map();
    this.state = 'headers';
    return true;
  }

  /** Header lines up to an empty line; folded lines (leading space or tab) continue the previous header. */
  private readHeaders(view: Buffer): boolean {
    let pos = 0;
    const headers = new Map<string, string>();
    let last: string | null = null;
    for (;;) {
      const lf = view.indexOf(LF, pos);
      if (lf < 0) {
        if (view.length > MAX_HEADER_BYTES) throw malformed(`a part's headers run over ${MAX_HEADER_BYTES} bytes`);
        return false;
      }
      const line = view.toString('latin1', pos, view[lf - 1] === CR && lf - 1 >= pos ? lf - 1 : lf);
      pos = lf + 1;
      if (line === '') break;
      if ((line.startsWith(' ') || line.startsWith('\t')) && last !== null) {
        headers.set(last, `${headers.get(last)!} ${line.trim()}`);
        continue;
      }
      const colon = line.indexOf(':');
      if (colon <= 0) throw malformed(`a part has a header line without a name: '${line.slice(0, 60)}'`);
      last = line.slice(0, colon).trim().toLowerCase();
      headers.set(last, line.slice(colon + 1).trim());
    }
    this.queue.consume(pos);
    this.headers = headers;
    this.scanFrom = 0;
    this.state = 'body';
    return true;
  }

  /** The body runs to the next `\r\n--boundary` (or `\n--boundary`); the line end belongs to the delimiter. */
  private readBody(view: Buffer, parts: MultipartPart[]): boolean {
    // An empty body whose delimiter follows the blank line directly (no line end of its own): seen in the wild.
    if (this.scanFrom === 0 && view.length >= this.dashBoundary.length && view.subarray(0, this.dashBoundary.length).equals(this.dashBoundary)) {
      parts.push({ headers: this.headers, body: new Uint8Array(0) });
      this.count++;
      this.queue.consume(this.dashBoundary.length);
      this.state = 'delimiter';
      return true;
    }
    const at = view.indexOf(this.lfDelimiter, this.scanFrom);
    if (at < 0) {
      this.scanFrom = Math.max(0, view.length - this.lfDelimiter.length + 1);
      return false;
    }
    const end = at > 0 && view[at - 1] === CR ? at - 1 : at;
    parts.push({ headers: this.headers, body: new Uint8Array(view.subarray(0, end)) });
    this.count++;
    this.queue.consume(at + this.lfDelimiter.length);
    this.scanFrom = 0;
    this.state = 'delimiter';
    return true;
  }
}

function malformed(what: string): VoxlabError {
  return new VoxlabError('REMOTE_ERROR', `the multipart answer is malformed: ${what}`);
}

/**
 * Reads a multipart body from `chunks`, calling `onPart` for each part as it completes and `onChunk` for each
 * chunk; resolves to the number of parts. Errors as MultipartParser.
 */
export async function readMultipart(
  chunks: AsyncIterable<Uint8Array>,
  contentType: string | null,
  onPart: (part: MultipartPart) => void,
  onChunk: () => void = () => undefined,
): Promise<number> {
  const parser = new MultipartParser(boundaryOf(contentType));
  let n = 0;
  for await (const chunk of chunks) {
    onChunk();
    for (const part of parser.push(chunk)) {
      n++;
      onPart(part);
    }
  }
  parser.end();
  return n;
}

/** All parts of a whole multipart body held in memory. */
export function parseMultipart(body: Uint8Array, contentType: string | null): MultipartPart[] {
  const parser = new MultipartParser(boundaryOf(contentType));
  const parts = parser.push(body);
  parser.end();
  return parts;
}

/**
 * A multipart body of `parts` with `boundary` (CRLF line ends, close delimiter, no preamble). BAD_ARGUMENT when
 * the boundary occurs in a part (then choose another).
 */
export function buildMultipart(parts: readonly { contentType: string; body: Uint8Array }[], boundary: string): Uint8Array {
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const pieces: Uint8Array[] = [];
  for (const part of parts) {
    if (Buffer.from(part.body.buffer, part.body.byteOffset, part.body.byteLength).indexOf(delimiter) >= 0)
      throw new VoxlabError('BAD_ARGUMENT', `buildMultipart: the boundary '${boundary}' occurs inside a part`);
    pieces.push(Buffer.from(`--${boundary}\r\nContent-Type: ${part.contentType}\r\n\r\n`, 'latin1'), part.body, Buffer.from('\r\n', 'latin1'));
  }
  pieces.push(Buffer.from(`--${boundary}--\r\n`, 'latin1'));
  return Buffer.concat(pieces);
}
