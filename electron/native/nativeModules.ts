// The native packages the core loads, where their addon file lies, and where the Electron build of
// better-sqlite3 lives beside the Node one (node_modules/.cache/voxlab-electron/...; see electron/README.md).

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { addonAbi } from './addonAbi.js';

/** One native package: `perVersion` ones need a build per NODE_MODULE_VERSION; Node-API ones load anywhere. */
export interface NativeModule {
  readonly name: string;
  readonly builds: 'per-version' | 'node-api';
  /** Needed to start the core at all (better-sqlite3), or loaded later with a fallback (ORT, Dawn). */
  readonly required: boolean;
  /** The addon file inside the package, for a platform and arch. */
  readonly addon: (platform: NodeJS.Platform, arch: string) => string;
}

export const NATIVE_MODULES: readonly NativeModule[] = [
  {
    name: 'better-sqlite3',
    builds: 'per-version',
    required: true,
    addon: () => 'build/Release/better_sqlite3.node',
  },
  {
    name: 'onnxruntime-node',
    builds: 'node-api',
    required: false,
    addon: (platform, arch) => `bin/napi-v6/${platform}/${arch}/onnxruntime_binding.node`,
  },
  {
    name: 'webgpu',
    builds: 'node-api',
    required: false,
    addon: (platform, arch) =>
      platform === 'darwin' ? 'dist/darwin-universal/dawn.node' : `dist/${platform}-${arch}/dawn.node`,
  },
];

/** The runtime a build is for: its NODE_MODULE_VERSION, platform and arch. */
export interface AbiTarget {
  readonly moduleVersion: number;
  readonly platform: NodeJS.Platform;
  readonly arch: string;
}

/** The installed package folder of `name` under `root`/node_modules. */
export function packageDir(root: string, name: string): string {
  return path.join(root, 'node_modules', name);
}

/** The installed version of `name`, or null when it is not installed. */
export function packageVersion(root: string, name: string): string | null {
  try {
    const v = (
      JSON.parse(readFileSync(path.join(packageDir(root, name), 'package.json'), 'utf8')) as {
        version?: unknown;
      }
    ).version;
    return typeof v === 'string' ? v : null;
  } catch {
    return null;
  }
}

/**
 * The folder holding the copy of better-sqlite3 compiled for `target`. Keyed by the package's version too, so
 * an upgrade builds anew; under node_modules, so `npm ci` throws it away with the install it was built from.
 */
export function electronBuildDir(root: string, target: AbiTarget, version: string): string {
  const key = `better-sqlite3-${version}-abi${target.moduleVersion}-${target.platform}-${target.arch}`;
  return path.join(root, 'node_modules', '.cache', 'voxlab-electron', key);
}

/** The addon file inside an electronBuildDir. */
export function electronBuildBinding(dir: string): string {
  return path.join(dir, 'build', 'Release', 'better_sqlite3.node');
}

/**
 * The better-sqlite3 addon built for `target` beside the Node one, when it exists and really is for
 * `target.moduleVersion`; else null (the package's own build is then the one to load).
 */
export function electronSqliteBinding(root: string, target: AbiTarget): string | null {
  const version = packageVersion(root, 'better-sqlite3');
  if (version === null) return null;
  const file = electronBuildBinding(electronBuildDir(root, target, version));
  if (!existsSync(file)) return null;
  const abi = addonAbi(file);
  return abi.kind === 'module-version' && abi.moduleVersion === target.moduleVersion ? file : null;
}

/** The one command that builds the Electron copy without starting the app (see electron/start.mjs). */
export const REBUILD_COMMAND = 'npm run -s build && node electron/start.mjs --rebuild-native';
