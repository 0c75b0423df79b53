// A tiny request schema language for the contract: each request field is described by a string
// ('id', 'string?', 'int|null', ...) or an enum object, and both transports validate incoming arguments
// against it before any handler runs (a request is untrusted input on a shared server).

import { VoxlabError } from '../common/errors.js';

/** Base field types. `id`: 1-128 of [A-Za-z0-9._-] starting with a letter or digit (ids name folders). */
export type BaseType = 'string' | 'id' | 'int' | 'number' | 'boolean' | 'json' | 'string[]';

/** A field: a base type, `T?` (optional), `T|null` (nullable), `T|null?`, or an enum of strings. */
export type FieldSpec =
  | BaseType
  | `${BaseType}?`
  | `${BaseType}|null`
  | `${BaseType}|null?`
  | { readonly enum: readonly string[]; readonly optional?: boolean };

/** The request schema of one method: field name → spec. */
export type RequestSchema = Readonly<Record<string, FieldSpec>>;

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** Longest string accepted in a JSON field (labels, notes, paths); bigger payloads travel as binary. */
export const MAX_STRING = 4096;

function isJson(v: unknown, depth: number): boolean {
  if (depth > 32) return false;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every((x) => isJson(x, depth + 1));
  if (typeof v !== 'object') return false;
  return Object.values(v as object).every((x) => isJson(x, depth + 1));
}

function checkBase(type: BaseType, v: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof v === 'string' && v.length <= MAX_STRING;
    case 'id':
      return typeof v === 'string' && ID.test(v) && !v.endsWith('.');
    case 'int':
      return Number.isSafeInteger(v);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'json':
      return isJson(v, 0);
    case 'string[]':
      return (
        Array.isArray(v) &&
        v.length <= 1024 &&
        v.every((x) => typeof x === 'string' && x.length <= MAX_STRING)
      );
  }
}

/** Splits a spec into its base, whether it may be null and whether it may be missing. */
export function parseSpec(spec: FieldSpec): {
  base: BaseType | readonly string[];
  nullable: boolean;
  optional: boolean;
} {
  if (typeof spec === 'object') return { base: spec.enum, nullable: false, optional: spec.optional === true };
  const optional = spec.endsWith('?');
  const body = optional ? spec.slice(0, -1) : spec;
  const nullable = body.endsWith('|null');
  return { base: (nullable ? body.slice(0, -5) : body) as BaseType, nullable, optional };
}

/**
 * Checks `args` against `schema` and returns it as a plain object holding only the schema's fields.
 * Throws BAD_ARGUMENT naming the method and the first bad or unknown field.
 */
export function validateArgs(method: string, schema: RequestSchema, args: unknown): Record<string, unknown> {
  const input = args === undefined || args === null ? {} : args;
  if (typeof input !== 'object' || Array.isArray(input))
    throw new VoxlabError('BAD_ARGUMENT', `${method}: arguments must be an object`);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(input)) {
    if (!Object.hasOwn(schema, key))
      throw new VoxlabError('BAD_ARGUMENT', `${method}: unknown argument "${key}"`, { method, field: key });
  }
  for (const [key, spec] of Object.entries(schema)) {
    const v = (input as Record<string, unknown>)[key];
    const { base, nullable, optional } = parseSpec(spec);
    if (v === undefined) {
      if (!optional)
        throw new VoxlabError('BAD_ARGUMENT', `${method}: "${key}" is required`, { method, field: key });
      continue;
    }
    const ok =
      (v === null && nullable) ||
      (Array.isArray(base) ? base.includes(v as string) : checkBase(base as BaseType, v));
    if (!ok) {
      const want = Array.isArray(base) ? `one of ${base.join(', ')}` : `${base}${nullable ? ' or null' : ''}`;
      throw new VoxlabError(
        'BAD_ARGUMENT',
        `${method}: "${key}" must be ${want}, got ${JSON.stringify(v)?.slice(0, 80)}`,
        { method, field: key },
      );
    }
    out[key] = v;
  }
  return out;
}

/**
 * Decodes one query-string value by its spec (GET requests carry their arguments in the URL):
 * strings stay strings, numbers and booleans are parsed, `json` and arrays are JSON text.
 */
export function decodeQueryValue(spec: FieldSpec, raw: string): unknown {
  const { base, nullable } = parseSpec(spec);
  if (nullable && raw === 'null') return null;
  if (Array.isArray(base) || base === 'string' || base === 'id') return raw;
  if (base === 'int' || base === 'number') return raw.trim() === '' ? raw : Number(raw);
  if (base === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw; // left as text: validateArgs then names the field
  }
}

/** The inverse of decodeQueryValue. */
export function encodeQueryValue(spec: FieldSpec, v: unknown): string {
  const { base } = parseSpec(spec);
  if (v === null) return 'null';
  if (typeof v === 'string' && (Array.isArray(base) || base === 'string' || base === 'id')) return v;
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}
