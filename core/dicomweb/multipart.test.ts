// The multipart/related parser on bodies as servers write them (RFC 2046 section 5.1): parts with binary
// bodies, preamble and epilogue, quoted boundaries, bare LF, any chunking; truncated and malformed bodies
// are typed REMOTE_ERRORs (truncated ones marked so, since a dropped connection looks like that).

import { describe, expect, it } from 'vitest';
import { MultipartParser, boundaryOf, buildMultipart, parseMediaType, parseMultipart, readMultipart } from './multipart.js';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder('latin1').decode(b);
const concat = (...parts: (string | Uint8Array)[]) => {
  const bytes = parts.map((p) => (typeof p === 'string' ? enc(p) : p));
  const out = new Uint8Array(bytes.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of bytes) {
    out.set(b, at);
    at += b.length;
  }
  return out;
};
/** Bytes that look like line ends and dashes, to catch a parser that splits on the wrong thing. */
const binary = Uint8Array.from({ length: 3000 }, (_, i) => [0x0d, 0x0a, 0x2d, 0x2d, 0x00, 0xff, i & 0xff][i % 7]!);

const CT = 'multipart/related; type="application/dicom"; boundary=b0und';

describe('multipart/related parser', () => {
  it('reads two parts with binary bodies and their headers (Orthanc-style body)', () => {
    const body = concat('--b0und\r\nContent-Type: application/dicom\r\nContent-Length: 3000\r\n\r\n', binary, '\r\n--b0und\r\nContent-Type: application/dicom\r\n\r\nDICM\r\n--b0und--\r\n');
    const parts = parseMultipart(body, CT);
    expect(parts).toHaveLength(2);
    expect(parts[0]!.body).toEqual(binary);
    expect(parts[0]!.headers.get('content-type')).toBe('application/dicom');
    expect(parts[0]!.headers.get('content-length')).toBe('3000');
    expect(dec(parts[1]!.body)).toBe('DICM');
  });

  it('ignores a preamble and an epilogue, and accepts transport padding and bare LF line ends', () => {
    const body = concat('this is a preamble\r\n--b0und  \t\nX-A: 1\n\nfirst\n--b0und\r\n\r\nsecond\r\n--b0und--\r\nepilogue --b0und junk');
    const parts = parseMultipart(body, CT);
    expect(parts.map((p) => dec(p.body))).toEqual(['first', 'second']);
    expect(parts[0]!.headers.get('x-a')).toBe('1');
    expect(parts[1]!.headers.size).toBe(0);
  });

  it.each([
    ['quoted', 'multipart/related; boundary="we;ird=b0und"; type="application/dicom"', 'we;ird=b0und'],
    ['unquoted', 'Multipart/Related;type=application/dicom;boundary=abc-123', 'abc-123'],
    ['escaped quote', 'multipart/related; boundary="a\\"b"', 'a"b'],
  ])('takes the boundary from a Content-Type (%s)', (_, contentType, boundary) => {
    expect(boundaryOf(contentType)).toBe(boundary);
    const parts = parseMultipart(enc(`--${boundary}\r\n\r\nbody\r\n--${boundary}--`), contentType);
    expect(parts.map((p) => dec(p.body))).toEqual(['body']);
  });

  it('gives the same parts whatever the chunking (1 byte, 7 bytes, whole)', async () => {
    const body = concat('pre\r\n--b0und\r\nContent-Type: application/dicom\r\n\r\n', binary, '\r\n--b0und\r\n\r\n', binary.subarray(5, 900), '\r\n--b0und--');
    const whole = parseMultipart(body, CT).map((p) => p.body);
    expect(whole).toHaveLength(2);
    for (const size of [1, 7, 4096]) {
      const got: Uint8Array[] = [];
      async function* chunks() {
        for (let i = 0; i < body.length; i += size) yield body.subarray(i, i + size);
      }
      expect(await readMultipart(chunks(), CT, (p) => got.push(p.body))).toBe(2);
      expect(got).toEqual(whole);
    }
  });

  it('reads an empty part and a header folded over two lines', () => {
    const parts = parseMultipart(enc('--b0und\r\nX-Long: one\r\n  two\r\n\r\n\r\n--b0und\r\n\r\n--b0und--'), CT);
    expect(parts.map((p) => p.body.length)).toEqual([0, 0]);
    expect(parts[0]!.headers.get('x-long')).toBe('one two');
  });

  it.each([
    ['in the middle of a body', concat('--b0und\r\n\r\n', binary.subarray(0, 100)), 0],
    ['after a complete part', enc('--b0und\r\n\r\none\r\n--b0und\r\n\r\ntw'), 1],
    ['before the close delimiter', enc('--b0und\r\n\r\none\r\n--b0und'), 1],
    ['empty', new Uint8Array(0), 0],
  ])('reports a body cut short (%s) as truncated REMOTE_ERROR', (_, body, parts) => {
    expect(() => parseMultipart(body, CT)).toThrow(expect.objectContaining({ code: 'REMOTE_ERROR', details: { truncated: true, parts } }));
  });

  it.each([
    ['no delimiter at all', enc('<html>Internal error</html>')],
    ['text after a delimiter', enc('--b0und garbage here\r\n\r\nx\r\n--b0und--')],
    ['a header line without a name', enc('--b0und\r\nno colon here\r\n\r\nx\r\n--b0und--')],
  ])('refuses a malformed body (%s) as REMOTE_ERROR, not truncated', (_, body) => {
    let error: unknown;
    try {
      parseMultipart(body, CT);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'REMOTE_ERROR' });
    expect((error as { details?: { truncated?: boolean } }).details?.truncated).not.toBe(true);
  });

  it.each([['application/json'], ['multipart/related; type="application/dicom"'], [null]])('refuses a Content-Type without a multipart boundary: %s', (ct) => {
    expect(() => boundaryOf(ct)).toThrow(expect.objectContaining({ code: 'REMOTE_ERROR' }));
  });

  it('builds what it parses, and refuses a boundary found inside a part', () => {
    const body = buildMultipart([{ contentType: 'application/dicom', body: binary }, { contentType: 'application/dicom', body: enc('x') }], 'bb-1');
    const parts = parseMultipart(body, 'multipart/related; boundary=bb-1');
    expect(parts.map((p) => p.body)).toEqual([binary, enc('x')]);
    expect(parts[0]!.headers.get('content-type')).toBe('application/dicom');
    expect(() => buildMultipart([{ contentType: 'x/y', body: enc('a--bb-1b') }], 'bb-1')).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
  });

  it('ignores bytes pushed after the close delimiter', () => {
    const parser = new MultipartParser('b0und');
    expect(parser.push(enc('--b0und\r\n\r\na\r\n--b0und--'))).toHaveLength(1);
    expect(parser.done).toBe(true);
    expect(parser.push(enc('\r\n--b0und\r\n\r\nb\r\n--b0und--'))).toEqual([]);
    expect(() => parser.end()).not.toThrow();
  });

  it('parses media type parameters', () => {
    const { type, params } = parseMediaType('multipart/related; type="application/dicom"; transfer-syntax=*');
    expect(type).toBe('multipart/related');
    expect(Object.fromEntries(params)).toEqual({ type: 'application/dicom', 'transfer-syntax': '*' });
  });
});
