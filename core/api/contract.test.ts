// The contract as data: every method has a well-formed, unique route that the client fills and the server
// matches back; request schemas validate as documented; IPC channels are exactly one per method.

import { describe, expect, it } from 'vitest';
import { VoxlabError } from '../common/errors.js';
import { INVOKE_CHANNELS, channelOf, methodOfChannel } from './ipc.js';
import { METHODS, METHOD_NAMES, specOf } from './methods.js';
import { matchRoute, routeFor } from './routes.js';
import { decodeQueryValue, encodeQueryValue, validateArgs, type FieldSpec } from './schema.js';

/** Plausible arguments for a schema: a value of each field's type. */
function sampleArgs(method: (typeof METHOD_NAMES)[number]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, spec] of Object.entries(specOf(method).request)) {
    if (typeof spec === 'object') out[k] = spec.enum[0];
    else if (spec.startsWith('int') || spec.startsWith('number')) out[k] = 3;
    else if (spec.startsWith('boolean')) out[k] = true;
    else if (spec.startsWith('json')) out[k] = { a: [1, 'b'] };
    else if (spec.startsWith('string[]')) out[k] = ['x', 'y'];
    else out[k] = `v-${k}.1`;
  }
  return out;
}

describe('METHODS', () => {
  it('has unique routes, each matched back to its method', () => {
    const seen = new Set<string>();
    for (const m of METHOD_NAMES) {
      expect(seen.has(METHODS[m].http), METHODS[m].http).toBe(false);
      seen.add(METHODS[m].http);
      const args = sampleArgs(m);
      const { verb, path } = routeFor(m, args);
      const url = new URL(path, 'http://x');
      const match = matchRoute(verb, url.pathname);
      expect(match?.route.method, `${m} → ${verb} ${path}`).toBe(m);
    }
  });

  it('routes path parameters and query values so that the server decodes the same arguments', () => {
    for (const m of METHOD_NAMES) {
      const args = sampleArgs(m);
      const { verb, path, body } = routeFor(m, args);
      const url = new URL(path, 'http://x');
      const got: Record<string, unknown> = { ...(body ?? {}), ...matchRoute(verb, url.pathname)!.params };
      const schema = specOf(m).request as Record<string, FieldSpec>;
      for (const [k, v] of url.searchParams) got[k] = decodeQueryValue(schema[k]!, v);
      expect(validateArgs(m, schema, got), m).toEqual(args);
    }
  });

  it('names groups that make api.group.name functions', () => {
    for (const m of METHOD_NAMES) expect(m).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
  });
});

describe('validateArgs', () => {
  const schema = { id: 'id', n: 'int?', label: 'string|null', kind: { enum: ['a', 'b'] } } as const;
  it.each([
    [{ id: 'x1', label: null, kind: 'a' }, true],
    [{ id: 'x1', n: 2, label: 'L', kind: 'b' }, true],
    [{ id: '../x', label: null, kind: 'a' }, false],
    [{ id: '.x', label: null, kind: 'a' }, false],
    [{ id: 'x', n: 1.5, label: null, kind: 'a' }, false],
    [{ id: 'x', label: undefined, kind: 'a' }, false],
    [{ id: 'x', label: null, kind: 'c' }, false],
    [{ id: 'x', label: null, kind: 'a', more: 1 }, false],
    [{ id: 'x', label: 'y'.repeat(5000), kind: 'a' }, false],
  ])('%j → valid %s', (args, ok) => {
    if (ok) expect(validateArgs('t', schema, args)).toEqual(args);
    else expect(() => validateArgs('t', schema, args)).toThrow(VoxlabError);
  });

  it('refuses json fields holding non-finite numbers or functions', () => {
    expect(() => validateArgs('t', { c: 'json' }, { c: { x: Infinity } })).toThrow(VoxlabError);
    expect(() => validateArgs('t', { c: 'json' }, { c: { f: () => 1 } })).toThrow(VoxlabError);
  });

  it.each<[FieldSpec, unknown]>([
    ['id', '007'],
    ['int?', 42],
    ['string|null', null],
    ['json', { a: [1] }],
    ['string[]?', ['a', 'b']],
    ['boolean', false],
  ])('query values of %s round-trip (%j)', (spec, v) => {
    expect(decodeQueryValue(spec, encodeQueryValue(spec, v))).toEqual(v);
  });
});

describe('IPC channels', () => {
  it('are one per method and map back', () => {
    expect(INVOKE_CHANNELS).toHaveLength(METHOD_NAMES.length);
    for (const m of METHOD_NAMES) expect(methodOfChannel(channelOf(m))).toBe(m);
    expect(methodOfChannel('voxlab:__proto__')).toBeNull();
    expect(methodOfChannel('other:server.info')).toBeNull();
  });
});
