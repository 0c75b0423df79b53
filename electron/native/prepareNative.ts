// What `npm start` does before it starts Electron (issue #17): finds Electron's NODE_MODULE_VERSION, checks
// every native package the core loads against it, and builds better-sqlite3 for Electron beside the Node
// build when that build is missing, or refuses in words (which module, which ABIs, the command that fixes it).

import { existsSync } from 'node:fs';
import path from 'node:path';
import { addonAbi, describeAbi, type AddonAbi } from './addonAbi.js';
import { chooseHeaders, describeHeaders, ELECTRON_HEADERS_URL } from './electronHeaders.js';
import { readElectronRuntime, type ElectronRuntime, type RunFile } from './electronRuntime.js';
import {
  electronBuildBinding,
  electronBuildDir,
  electronSqliteBinding,
  NATIVE_MODULES,
  packageDir,
  packageVersion,
  REBUILD_COMMAND,
  type NativeModule,
} from './nativeModules.js';
import type { RebuildPlan, RebuildRunner } from './rebuildSqlite.js';

export interface PrepareOptions {
  /** The repository (the folder holding node_modules). */
  readonly root: string;
  readonly electronBinary: string;
  readonly env: NodeJS.ProcessEnv;
  /** Builds better-sqlite3 for Electron; null: never build, refuse instead (VOXLAB_NATIVE_REBUILD=0). */
  readonly rebuild: RebuildRunner | null;
  /** Build even when a fitting Electron build exists (`--rebuild-native`). */
  readonly force?: boolean;
  /** Runs the Electron binary for its versions (tests pass a fake). */
  readonly run?: RunFile;
  readonly log: (line: string) => void;
}

export type Prepared =
  | { readonly ok: true; readonly runtime: ElectronRuntime; readonly sqliteBinding: string | null }
  | { readonly ok: false; readonly message: string };

/**
 * Checks the native packages against the Electron binary. ok: every required addon loads in Electron
 * (`sqliteBinding` is the Electron build of better-sqlite3, or null when the package's own build already
 * fits). Not ok: `message` says what does not fit and the command that fixes it. Never throws.
 */
export async function prepareNativeModules(o: PrepareOptions): Promise<Prepared> {
  let runtime: ElectronRuntime;
  try {
    runtime = readElectronRuntime(o.electronBinary, packageDir(o.root, 'electron'), o.run);
  } catch (e) {
    return { ok: false, message: `voxlab: ${(e as Error).message}\n` };
  }
  o.log(
    `Electron ${runtime.version} (${runtime.platform}-${runtime.arch}) needs NODE_MODULE_VERSION ${runtime.moduleVersion}.`,
  );
  let sqliteBinding: string | null = null;
  for (const mod of NATIVE_MODULES) {
    const file = path.join(packageDir(o.root, mod.name), mod.addon(runtime.platform, runtime.arch));
    if (!existsSync(file)) {
      if (mod.required)
        return { ok: false, message: refusal(mod, file, null, runtime, 'it is not installed', 'npm ci') };
      continue; // optional: the core falls back (CPU training, no ONNX Runtime) and says so itself
    }
    const abi = addonAbi(file);
    if (fits(abi, runtime) && !(o.force === true && mod.builds === 'per-version')) continue;
    if (abi.kind === 'unknown') {
      o.log(`${mod.name}: cannot read which ABI ${file} was built for; trying it as it is.`);
      continue;
    }
    if (mod.builds === 'node-api') {
      const why = 'voxlab expects a Node-API build of this package (one for every runtime)';
      return { ok: false, message: refusal(mod, file, abi, runtime, why, 'npm ci') };
    }
    const built = await electronSqlite(o, runtime, file, abi);
    if (!built.ok) return built;
    sqliteBinding = built.binding;
  }
  return { ok: true, runtime, sqliteBinding };
}

function fits(abi: AddonAbi, runtime: ElectronRuntime): boolean {
  return (
    abi.kind === 'node-api' || (abi.kind === 'module-version' && abi.moduleVersion === runtime.moduleVersion)
  );
}

/** The Electron build of better-sqlite3: the one already there, or a new one, checked after building. */
async function electronSqlite(
  o: PrepareOptions,
  runtime: ElectronRuntime,
  file: string,
  abi: AddonAbi,
): Promise<{ ok: true; binding: string } | { ok: false; message: string }> {
  const mod = NATIVE_MODULES[0]!;
  const version = packageVersion(o.root, mod.name) ?? 'unknown';
  const target = { moduleVersion: runtime.moduleVersion, platform: runtime.platform, arch: runtime.arch };
  const existing = o.force === true ? null : electronSqliteBinding(o.root, target);
  if (existing !== null) return { ok: true, binding: existing };
  if (o.rebuild === null)
    return {
      ok: false,
      message: refusal(
        mod,
        file,
        abi,
        runtime,
        'automatic builds are off (VOXLAB_NATIVE_REBUILD=0)',
        REBUILD_COMMAND,
      ),
    };
  const headers = chooseHeaders(o.env, runtime.moduleVersion);
  for (const note of headers.notes) o.log(note);
  const plan: RebuildPlan = {
    module: 'better-sqlite3',
    electronVersion: runtime.version,
    moduleVersion: runtime.moduleVersion,
    platform: runtime.platform,
    arch: runtime.arch,
    sourceDir: packageDir(o.root, mod.name),
    outputDir: electronBuildDir(o.root, target, version),
    headers: headers.source,
  };
  o.log(
    `Building ${mod.name} ${version} for Electron ${runtime.version} in ${plan.outputDir}, with ${describeHeaders(headers.source)} (once per install)...`,
  );
  try {
    await o.rebuild(plan);
  } catch (e) {
    const why = `building it for Electron failed: ${firstLine(e)}`;
    return { ok: false, message: refusal(mod, file, abi, runtime, why, REBUILD_COMMAND) };
  }
  const output = electronBuildBinding(plan.outputDir);
  const got = existsSync(output) ? addonAbi(output) : null;
  if (got === null || !fits(got, runtime)) {
    const why =
      got === null
        ? `the build left no ${output}`
        : `the build in ${output} came out for ${describeAbi(got)} (wrong headers?)`;
    return { ok: false, message: refusal(mod, file, abi, runtime, why, REBUILD_COMMAND) };
  }
  o.log(`${mod.name} for Electron: ${output}`);
  return { ok: true, binding: output };
}

/** The refusal in words: which module, which ABI it has, which ABI Electron needs, why, the fix. */
function refusal(
  mod: NativeModule,
  file: string,
  abi: AddonAbi | null,
  runtime: ElectronRuntime,
  why: string,
  fix: string,
): string {
  const has = abi === null ? 'is missing' : `was built for ${describeAbi(abi)}`;
  const lines = [
    `voxlab: the desktop app cannot start: ${mod.name} does not load in Electron ${runtime.version}.`,
    `  ${file} ${has};`,
    `  Electron ${runtime.version} (${runtime.platform}-${runtime.arch}) needs NODE_MODULE_VERSION ${runtime.moduleVersion}, and ${why}.`,
    `Fix: ${fix}`,
  ];
  if (fix === REBUILD_COMMAND)
    lines.push(
      `  (builds ${mod.name} for Electron beside the Node build, which the CLI and tests keep using. It needs a C++ compiler, Python 3 and`,
      `  Electron's headers from ${ELECTRON_HEADERS_URL} or your ELECTRON_MIRROR; offline, unpack node-v${runtime.version}-headers.tar.gz`,
      `  and set npm_config_nodedir to that folder.)`,
    );
  return `${lines.join('\n')}\n`;
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
}
