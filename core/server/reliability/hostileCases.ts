// Seeded hostile HTTP requests for every route of the method table (issue #15, item 3): wrong types per
// field, missing and extra fields, huge, unicode and NUL strings, odd numbers, path traversal in every
// field, malformed JSON, wrong content types, oversized bodies, bad credentials, raw path tricks.

import { METHOD_NAMES, ROUTES, specOf, parseSpec, type FieldSpec, type MethodName } from '../../api/index.js';

/** One raw request: sent as is by the runner (httpFuzz.ts), so nothing normalises it on the way. */
export interface HostileRequest {
  /** What the case does, for failure reports: `method/kind: detail`. */
  readonly name: string;
  readonly verb: string;
  /** Path and query, already encoded (or deliberately not). */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer;
  /** Send the token (true), none (false) or a wrong one ('wrong'). */
  readonly auth: boolean | 'wrong';
  /** The statuses this case must get (any 2xx-4xx when absent). */
  readonly expect?: readonly number[];
}

/** A symlink of this name sits in the study and points outside it (created by the runner's study setup). */
export const ESCAPE_LINK = 'escape-link';

const DEEP = '['.repeat(5000) + ']'.repeat(5000);

/** Values that are wrong, odd or dangerous for some field type. Strings also go into path segments. */
export const HOSTILE_VALUES: readonly unknown[] = [
  null, true, false, 0, -1, -0, 3.5, 1e308, -1e308, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER,
  '', ' ', 'NaN', 'Infinity', '1e999', '0x10', '-0', 'null', 'true',
  'A'.repeat(4097), 'B'.repeat(100_000), 'a\u0000b', '\u0000', '😀'.repeat(300), '\ud800', 'é/ü\u202e', '\r\nX-Evil: 1',
  '../../etc/passwd', '..\\..\\windows\\win.ini', '/etc/passwd', 'C:\\Windows\\system32', '%2e%2e%2f%2e%2e%2fetc',
  '..', '.', 'img-a/../../..', `${ESCAPE_LINK}/evil.nii`, `${ESCAPE_LINK}`, '~/x', 'file:///etc/passwd',
  '__proto__', 'constructor', [], ['x', 1], Array.from({ length: 2000 }, () => 'x'), {}, { a: { b: {} } },
  { __proto__: { polluted: 1 } }, JSON.parse('['.repeat(200) + ']'.repeat(200)) as unknown,
];

/** Malformed or unexpected JSON bodies. */
const BAD_BODIES: readonly (string | Buffer)[] = [
  '{', '{"a":', '}', 'null', '[]', '"text"', '12', 'true', '\u0000', '{"a":1,}', "{'a':1}", '{"a":NaN}',
  '\ufeff{}', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}', DEEP,
  Buffer.from([0xff, 0xfe, 0xfd, 0x00, 0x7b]), Buffer.from('{"a":"\xff"}', 'latin1'),
  `{"a":"${'x'.repeat(50_000)}"}`, '{"a":1,"a":2}',
];

const CONTENT_TYPES = [
  'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16',
  'application/octet-stream', 'application/json', '', 'a'.repeat(2000),
];

/** A small deterministic PRNG (mulberry32) so a failing case can be replayed from its seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A plausible value per field, so that one mutated field is what the server has to refuse. */
function plausible(name: string, spec: FieldSpec): unknown {
  const { base } = parseSpec(spec);
  if (Array.isArray(base)) return base[0];
  if (name === 'url') return 'ftp://pacs.invalid/dicom-web'; // never a reachable host
  if (name === 'config') return { epochs: 0 }; // never a real training run
  switch (base) {
    case 'id':
      return 'img-a';
    case 'int':
    case 'number':
      return 1;
    case 'boolean':
      return false;
    case 'json':
      return {};
    case 'string[]':
      return ['x'];
    default:
      return name === 'path' ? 'no-such-file.nii' : 'fuzz';
  }
}

function baseArgs(method: MethodName): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, spec] of Object.entries(specOf(method).request)) out[k] = plausible(k, spec);
  return out;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v) ?? 'undefined');

/** encodeURIComponent, but a lone surrogate becomes U+FFFD's bytes instead of throwing. */
const percent = (s: string): string => encodeURIComponent(Buffer.from(s, 'utf8').toString('utf8'));

/** The request for `method` with `args`: path parameters, then the query or a JSON body, as routes.ts does. */
function encode(method: MethodName, args: Record<string, unknown>, rawSegments: boolean): { path: string; body?: Buffer } {
  const route = ROUTES.find((r) => r.method === method)!;
  const rest = { ...args };
  const segs = route.segments.map((s) => {
    if (!s.startsWith('{')) return s;
    const name = s.slice(1, -1);
    const v = rest[name];
    delete rest[name];
    // Raw: '/' and '\\' travel unescaped, so '../..' becomes real path segments.
    const escaped = percent(text(v));
    return rawSegments ? escaped.replace(/%2F/gi, '/').replace(/%5C/gi, '\\') : escaped;
  });
  const path = `/${segs.join('/')}`;
  const inQuery = route.verb === 'GET' || route.verb === 'DELETE' || specOf(method).upload === true;
  if (!inQuery) return { path, body: Buffer.from(JSON.stringify(rest) ?? '') };
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(rest)) q.append(k, text(v));
  const qs = q.toString();
  return { path: qs === '' ? path : `${path}?${qs}` };
}

function request(method: MethodName, name: string, args: Record<string, unknown>, pick: () => number): HostileRequest {
  const spec = specOf(method);
  const route = ROUTES.find((r) => r.method === method)!;
  const { path, body } = encode(method, args, pick() < 0.1);
  const upload = spec.upload === true;
  const bytes = upload ? Buffer.alloc(Math.floor(pick() * 300), 7) : body;
  const type = upload ? 'application/octet-stream' : 'application/json';
  return { name: `${method}/${name}`, verb: route.verb, path, headers: { 'content-type': type }, body: bytes, auth: true };
}

/** Cases for one method, chosen by `pick` (a seeded PRNG in [0, 1)). */
function caseFor(method: MethodName, pick: () => number): HostileRequest {
  const spec = specOf(method);
  const route = ROUTES.find((r) => r.method === method)!;
  const fields = Object.keys(spec.request);
  const args = baseArgs(method);
  const one = <T>(xs: readonly T[]): T => xs[Math.floor(pick() * xs.length)]!;
  const r = pick();
  if (r < 0.55 && fields.length > 0) {
    const field = one(fields);
    const value = one(HOSTILE_VALUES);
    args[field] = value;
    return request(method, `field ${field}=${text(value).slice(0, 40)}`, args, pick);
  }
  if (r < 0.62 && fields.length > 0) {
    const field = one(fields);
    delete args[field];
    return request(method, `missing ${field}`, args, pick);
  }
  if (r < 0.68) {
    const extra = one(['__proto__', 'constructor', 'extra', 'toString', '']);
    Object.defineProperty(args, extra, { value: one(HOSTILE_VALUES), enumerable: true, writable: true, configurable: true });
    return request(method, `extra ${extra}`, args, pick);
  }
  const base = request(method, 'plain', args, pick);
  if (r < 0.78) {
    const body = one(BAD_BODIES);
    return { ...base, name: `${method}/bad body ${text(body.toString()).slice(0, 30)}`, headers: { 'content-type': 'application/json' }, body: Buffer.from(body) };
  }
  if (r < 0.85) {
    const type = one(CONTENT_TYPES);
    return { ...base, name: `${method}/content-type ${type.slice(0, 30)}`, headers: { 'content-type': type } };
  }
  if (r < 0.9) {
    const size = (spec.upload === true ? 1 << 16 : 1 << 20) + 1 + Math.floor(pick() * 1000);
    const limit = spec.maxBytes ?? 1 << 20;
    // Uploads with a large limit: announce more than the limit but send little (the server must refuse first).
    const declared = size > limit ? undefined : String(limit + 1);
    const headers: Record<string, string> = { ...base.headers, ...(declared === undefined ? {} : { 'content-length': declared }) };
    return { ...base, name: `${method}/huge body`, headers, body: Buffer.alloc(Math.min(size, 2 << 20), 0x41) };
  }
  if (r < 0.95) return { ...base, name: `${method}/no token`, auth: false, expect: [401] };
  // A wrong token counts as a failed sign-in: past the limit the address is RATE_LIMITED.
  if (r < 0.97) return { ...base, name: `${method}/wrong token`, auth: 'wrong', expect: [401, 429] };
  return { ...base, name: `${method}/wrong verb`, verb: route.verb === 'GET' ? 'POST' : 'GET', body: undefined };
}

/** Requests that are not about one method: raw path tricks, odd verbs and headers. */
export const RAW_CASES: readonly HostileRequest[] = ([
  '/api/../../etc/passwd', '/api/%2e%2e/%2e%2e/etc/passwd', '/../../../etc/passwd', '//etc/passwd', '/api/datastore/images/%E0%A4%A',
  '/api/datastore/images/..%2F..%2Fetc', '/api/%00', '/%00', '/api/datastore/images/img-a%00/label', `/api/datastore/images/${'x'.repeat(8000)}`,
  '/index.html/../../../../etc/passwd', '/..%5c..%5cwindows', '/api', '/api/', '/api/events/../info', '/api/info?token=x&token=y',
  '/api/datastore?status=unlabeled&status=labeled', '/api/datastore?__proto__=x&constructor=y', 'http://evil.example/api/info', '*',
] as const).map((p): HostileRequest => ({ name: `raw ${p.slice(0, 40)}`, verb: 'GET', path: p, headers: {}, auth: true }))
  .concat(
    ['PROPFIND', 'TRACE', 'PATCH', 'HEAD', 'OPTIONS', 'CONNECT'].map((verb): HostileRequest => ({ name: `verb ${verb}`, verb, path: '/api/info', headers: {}, auth: true as const })),
    [
      { name: 'evil origin', verb: 'POST', path: '/api/classes', headers: { origin: 'http://evil.example', 'content-type': 'application/json' }, body: Buffer.from('{}'), auth: true as const },
      { name: 'evil host', verb: 'GET', path: '/api/info', headers: { host: 'evil.example' }, auth: true as const },
      { name: 'signin bad json', verb: 'POST', path: '/auth/signin', headers: { 'content-type': 'application/json' }, body: Buffer.from('{'), auth: false as const },
      { name: 'signin huge', verb: 'POST', path: '/auth/signin', headers: {}, body: Buffer.alloc(10_000, 0x7b), auth: false as const },
      { name: 'oidc callback without oidc', verb: 'GET', path: '/auth/oidc/callback?code=x&state=y', headers: {}, auth: false as const },
    ],
  );

/** `count` seeded cases: RAW_CASES first, then methods in turn with a random mutation each. */
export function hostileCases(seed: number, count: number): HostileRequest[] {
  const pick = seeded(seed);
  const out: HostileRequest[] = RAW_CASES.slice(0, count);
  for (let n = 0; out.length < count; n++) out.push(caseFor(METHOD_NAMES[n % METHOD_NAMES.length]!, pick));
  return out;
}
