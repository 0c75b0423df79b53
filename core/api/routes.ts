// HTTP routes of the contract: 'VERB /path/{param}' templates from METHODS, filled in by the client and
// matched by the server, so neither side spells a URL by hand.

import { METHODS, METHOD_NAMES, specOf, type MethodName } from './methods.js';
import { decodeQueryValue, encodeQueryValue, type FieldSpec } from './schema.js';

/** Every route is under this prefix; `/` serves the UI, `/events` the event stream. */
export const API_PREFIX = '/api';
export const EVENTS_PATH = '/api/events';

export interface Route {
  readonly method: MethodName;
  readonly verb: string;
  /** Path segments of the template; `{name}` segments are parameters. */
  readonly segments: readonly string[];
  readonly params: readonly string[];
}

function parseRoute(method: MethodName): Route {
  const [verb, path] = METHODS[method].http.split(' ') as [string, string];
  const segments = `${API_PREFIX}${path}`.split('/').filter((s) => s !== '');
  const params = segments.filter((s) => s.startsWith('{')).map((s) => s.slice(1, -1));
  return { method, verb, segments, params };
}

/** All routes, in table order. */
export const ROUTES: readonly Route[] = METHOD_NAMES.map(parseRoute);

/**
 * The URL path and query for calling `method` with `args`: path parameters filled (URI-encoded), the rest of
 * the arguments in the query string for GET, DELETE and uploads; otherwise the JSON body carries them.
 */
export function routeFor(
  method: MethodName,
  args: Record<string, unknown>,
): { verb: string; path: string; body: Record<string, unknown> | null } {
  const route = ROUTES.find((r) => r.method === method)!;
  const rest: Record<string, unknown> = { ...args };
  const path = route.segments
    .map((s) => {
      if (!s.startsWith('{')) return s;
      const name = s.slice(1, -1);
      const v = rest[name];
      delete rest[name];
      return encodeURIComponent(String(v));
    })
    .join('/');
  const inQuery = route.verb === 'GET' || route.verb === 'DELETE' || specOf(method).upload === true;
  if (!inQuery) return { verb: route.verb, path: `/${path}`, body: rest };
  const schema = specOf(method).request;
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(rest))
    if (v !== undefined && schema[k] !== undefined) query.set(k, encodeQueryValue(schema[k], v));
  const qs = query.toString();
  return { verb: route.verb, path: `/${path}${qs ? `?${qs}` : ''}`, body: null };
}

/**
 * The route `verb path` matches, with its path parameters URI-decoded and then typed by the request schema
 * as query values are (an `int` parameter such as segments.set's {value} arrives as a number; text that is
 * not a number is left as text for validateArgs to refuse); null when no route matches.
 */
export function matchRoute(
  verb: string,
  pathname: string,
): { route: Route; params: Record<string, unknown> } | null {
  const parts = pathname.split('/').filter((s) => s !== '');
  for (const route of ROUTES) {
    if (route.segments.length !== parts.length) continue;
    const params: Record<string, unknown> = {};
    const schema = specOf(route.method).request as Record<string, FieldSpec>;
    let ok = true;
    for (let n = 0; n < parts.length && ok; n++) {
      const seg = route.segments[n]!;
      if (seg.startsWith('{')) {
        try {
          const name = seg.slice(1, -1);
          const raw = decodeURIComponent(parts[n]!);
          params[name] = schema[name] === undefined ? raw : decodeQueryValue(schema[name], raw);
        } catch {
          ok = false;
        }
      } else ok = seg === parts[n];
    }
    if (ok && route.verb === verb) return { route, params };
  }
  return null;
}
