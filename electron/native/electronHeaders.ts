// Where a native build for Electron gets Electron's C++ headers: a local folder (npm_config_nodedir) when
// it holds Electron's, else the URL Electron's own files came from (ELECTRON_MIRROR and friends, read the
// way @electron/get reads them), else Electron's headers server.

import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Electron's official headers (what @electron/rebuild and node-gyp's `--runtime=electron` use by default). */
export const ELECTRON_HEADERS_URL = 'https://www.electronjs.org/headers';

export type HeaderSource =
  | { readonly kind: 'nodedir'; readonly dir: string }
  | { readonly kind: 'url'; readonly url: string; readonly from: string };

/** The headers to build with, and what was noticed and set aside on the way (for the log). */
export interface HeaderChoice {
  readonly source: HeaderSource;
  readonly notes: readonly string[];
}

/**
 * Picks the headers for Electron `version` with NODE_MODULE_VERSION `moduleVersion`:
 * 1. `npm_config_nodedir`, unless its config.gypi names another node_module_version (Node's own headers,
 *    as a `nodedir=/usr` in .npmrc gives: building against them makes an addon Electron refuses).
 * 2. `ELECTRON_REBUILD_DIST_URL` (@electron/rebuild's own setting).
 * 3. A custom Electron mirror (`ELECTRON_MIRROR`, `npm_config_electron_mirror`, ...): a mirror serving
 *    `v<version>/electron-...zip` is assumed to serve `v<version>/node-v<version>-headers.tar.gz` beside it;
 *    not with ELECTRON_CUSTOM_DIR set (its folders then differ from node-gyp's `v<version>/`).
 * 4. ELECTRON_HEADERS_URL.
 */
export function chooseHeaders(
  env: NodeJS.ProcessEnv,
  moduleVersion: number,
  readText = readOrNull,
): HeaderChoice {
  const notes: string[] = [];
  const nodedir = env.npm_config_nodedir ?? env.NPM_CONFIG_NODEDIR;
  if (nodedir !== undefined && nodedir !== '') {
    const claimed = headersModuleVersion(nodedir, readText);
    if (claimed === null || claimed === moduleVersion)
      return { source: { kind: 'nodedir', dir: nodedir }, notes };
    notes.push(
      `npm_config_nodedir=${nodedir} holds headers for NODE_MODULE_VERSION ${claimed}, not Electron's ${moduleVersion}: not used for the Electron build`,
    );
  }
  const distUrl = env.ELECTRON_REBUILD_DIST_URL;
  if (distUrl !== undefined && distUrl !== '')
    return { source: { kind: 'url', url: distUrl, from: 'ELECTRON_REBUILD_DIST_URL' }, notes };
  const mirror = mirrorSetting(env, 'mirror');
  if (mirror !== null) {
    if (mirrorSetting(env, 'custom_dir') === null)
      return { source: { kind: 'url', url: mirror.value.replace(/\/+$/, ''), from: mirror.name }, notes };
    notes.push(
      `${mirror.name} is set with a custom folder layout: headers come from ${ELECTRON_HEADERS_URL} (set ELECTRON_REBUILD_DIST_URL to change that)`,
    );
  }
  return { source: { kind: 'url', url: ELECTRON_HEADERS_URL, from: 'default' }, notes };
}

/** @electron/get's lookup order for a mirror option: .npmrc, then package.json config, then ELECTRON_*. */
function mirrorSetting(env: NodeJS.ProcessEnv, snake: string): { name: string; value: string } | null {
  const names = [
    `npm_config_electron_${snake.replace(/_/g, '')}`,
    `NPM_CONFIG_ELECTRON_${snake.toUpperCase()}`,
    `npm_config_electron_${snake}`,
    `npm_package_config_electron_${snake.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase())}`,
    `npm_package_config_electron_${snake}`,
    `ELECTRON_${snake.toUpperCase()}`,
  ];
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== '') return { name, value };
  }
  return null;
}

/** The node_module_version a headers folder's config.gypi declares (installed or tarball layout), or null. */
function headersModuleVersion(dir: string, readText: (file: string) => string | null): number | null {
  for (const file of [path.join(dir, 'include', 'node', 'config.gypi'), path.join(dir, 'config.gypi')]) {
    const m = /['"]node_module_version['"]\s*:\s*['"]?(\d+)/.exec(readText(file) ?? '');
    if (m !== null) return Number(m[1]);
  }
  return null;
}

function readOrNull(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** The source in words, for messages. */
export function describeHeaders(source: HeaderSource): string {
  return source.kind === 'nodedir'
    ? `the headers in ${source.dir} (npm_config_nodedir)`
    : `${source.url} (${source.from})`;
}
