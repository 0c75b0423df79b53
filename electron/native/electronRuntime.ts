// What the Electron binary embeds: its version, NODE_MODULE_VERSION and arch, asked of the binary itself
// (ELECTRON_RUN_AS_NODE), with the electron package's abi_version file when the binary cannot answer.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The runtime native modules must be built for to load in the desktop app. */
export interface ElectronRuntime {
  /** Electron's version, e.g. "45.5.0" (what @electron/rebuild and the headers are keyed by). */
  readonly version: string;
  /** `process.versions.modules` inside Electron, e.g. 150. */
  readonly moduleVersion: number;
  readonly platform: NodeJS.Platform;
  readonly arch: string;
  /** Where the numbers came from: the binary, or the package files when running it failed. */
  readonly from: 'binary' | 'package';
}

/** Runs `file args` with `env` and returns its stdout (execFileSync's contract); injectable for tests. */
export type RunFile = (file: string, args: readonly string[], env: NodeJS.ProcessEnv) => string;

const runFile: RunFile = (file, args, env) =>
  execFileSync(file, [...args], {
    env,
    encoding: 'utf8',
    timeout: 30_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });

const QUERY =
  'JSON.stringify({version:process.versions.electron,modules:process.versions.modules,platform:process.platform,arch:process.arch})';

/**
 * Asks `binary` (run as plain Node: ELECTRON_RUN_AS_NODE=1, so no window and no display needed) for its
 * versions; when that fails or answers nonsense, reads `packageDir`/package.json's version and
 * `packageDir`/abi_version (written by the electron package for this very check) with this machine's arch.
 * Throws an Error in words when neither source gives a module version.
 */
export function readElectronRuntime(
  binary: string,
  packageDir: string,
  run: RunFile = runFile,
): ElectronRuntime {
  let asked: string | null = null;
  try {
    asked = run(binary, ['-p', QUERY], { ...process.env, ELECTRON_RUN_AS_NODE: '1' });
  } catch {
    asked = null; // an unrunnable binary (wrong arch, missing libraries): the package's files still answer
  }
  const fromBinary = asked === null ? null : parseAnswer(asked);
  if (fromBinary !== null) return fromBinary;
  return fromPackage(binary, packageDir);
}

function parseAnswer(text: string): ElectronRuntime | null {
  try {
    const v = JSON.parse(text.trim().split('\n').pop() ?? '') as Record<string, unknown>;
    const moduleVersion = Number(v.modules);
    if (typeof v.version !== 'string' || !Number.isInteger(moduleVersion) || moduleVersion <= 0) return null;
    if (typeof v.platform !== 'string' || typeof v.arch !== 'string') return null;
    return {
      version: v.version,
      moduleVersion,
      platform: v.platform as NodeJS.Platform,
      arch: v.arch,
      from: 'binary',
    };
  } catch {
    return null; // not JSON: not an Electron that ran our query
  }
}

function fromPackage(binary: string, packageDir: string): ElectronRuntime {
  const read = (file: string): string | null => {
    try {
      return readFileSync(path.join(packageDir, file), 'utf8');
    } catch {
      return null;
    }
  };
  const abi = Number((read('abi_version') ?? '').trim());
  const version = (JSON.parse(read('package.json') ?? '{}') as { version?: unknown }).version;
  if (!Number.isInteger(abi) || abi <= 0 || typeof version !== 'string')
    throw new Error(
      `cannot tell which Node ABI Electron needs: ${binary} did not answer \`ELECTRON_RUN_AS_NODE=1 ${path.basename(binary)} -p process.versions.modules\`, ` +
        `and ${path.join(packageDir, 'abi_version')} is missing or not a number. Reinstall electron (npm ci).`,
    );
  return { version, moduleVersion: abi, platform: process.platform, arch: process.arch, from: 'package' };
}
