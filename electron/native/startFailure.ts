// Why the core process could not start, in words for the window: above all a native module that does not
// load in this Electron (which module, which ABI it was built for, which this runtime needs, the command that
// fixes it), posted to the main process as a typed `fatal` message instead of a silent exit (issue #17).

import { isVoxlabError, type VoxlabErrorJson } from '../../core/common/errors.js';
import { REBUILD_COMMAND } from './nativeModules.js';

/** The core process's last word before it exits: why it could not serve the study. */
export interface FatalMessage {
  readonly type: 'fatal';
  readonly error: VoxlabErrorJson;
}

export function isFatalMessage(m: unknown): m is FatalMessage {
  const v = m as Partial<FatalMessage> | null;
  return v?.type === 'fatal' && typeof v.error?.message === 'string' && typeof v.error.code === 'string';
}

/** The runtime the failure happened in (process.versions.electron / .modules; packaged: inside app.asar). */
export interface RuntimeInfo {
  readonly electron: string | undefined;
  readonly moduleVersion: number;
}

/** Node's words for an addon of another ABI (src/node_binding.cc), the same in Electron. */
const ABI_MISMATCH =
  /The module '([^']+)'\s+was compiled against a different Node\.js version using\s+NODE_MODULE_VERSION (\d+)\.\s+This version of Node\.js requires\s+NODE_MODULE_VERSION (\d+)/;

/**
 * Turns whatever stopped the core's start into the error the window shows. A native addon that failed to
 * load anywhere in `e`'s cause chain becomes a message naming the module, the ABIs and the fix (code
 * NATIVE_MODULE: the install, not the user's data, is at fault); any other VoxlabError passes as it is (e.g.
 * STUDY_INVALID for a folder that is not a study); anything else becomes INTERNAL with its message.
 */
export function describeStartFailure(e: unknown, runtime: RuntimeInfo): VoxlabErrorJson {
  const chain = [...causeChain(e)];
  const named = chain.map(declaredModule).find((m) => m !== null) ?? null; // sqlite.ts says which module it loads
  for (const err of chain) {
    const m = ABI_MISMATCH.exec(messageOf(err));
    if (m !== null) return abiMismatch(m[1]!, named ?? moduleOf(m[1]!), Number(m[2]), Number(m[3]), runtime);
  }
  const file = chain.map(addonFile).find((f) => f !== null);
  if (file !== undefined && file !== null)
    return loadFailed(file, named ?? moduleOf(file), messageOf(chain[chain.length - 1]), runtime);
  if (isVoxlabError(e)) return e.toJSON();
  return {
    name: 'VoxlabError',
    code: 'INTERNAL',
    message: `The voxlab core could not start: ${messageOf(e)}`,
  };
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function abiMismatch(
  file: string,
  module: string,
  builtFor: number,
  needs: number,
  runtime: RuntimeInfo,
): VoxlabErrorJson {
  const where = runtime.electron === undefined ? `this Node.js` : `Electron ${runtime.electron}`;
  const fix = fixFor(file);
  return {
    name: 'VoxlabError',
    code: 'NATIVE_MODULE',
    message:
      `${module} cannot load in ${where}: it was built for NODE_MODULE_VERSION ${builtFor}, and ${where} needs NODE_MODULE_VERSION ${needs} ` +
      `(${file}). voxlab cannot open a study without it. ${fix.words}`,
    details: { module, file, builtFor, needs, fix: fix.command },
  };
}

function loadFailed(file: string, module: string, reason: string, runtime: RuntimeInfo): VoxlabErrorJson {
  const where = runtime.electron === undefined ? `Node.js` : `Electron ${runtime.electron}`;
  const fix = fixFor(file);
  return {
    name: 'VoxlabError',
    code: 'NATIVE_MODULE',
    message:
      `${module} (${file}) did not load in ${where} (NODE_MODULE_VERSION ${runtime.moduleVersion}): ${reason.split('\n')[0]}. ` +
      `voxlab cannot open a study without it. ${fix.words}`,
    details: { module, file, needs: runtime.moduleVersion, fix: fix.command },
  };
}

/** The fix: a broken package needs a new package; a checkout needs the Electron build of its modules. */
function fixFor(file: string): { command: string; words: string } {
  if (/app\.asar/.test(file))
    return {
      command: 'npx electron-builder',
      words:
        'This installed copy of voxlab was packaged with a build for another runtime: reinstall voxlab, or package it again with `npx electron-builder` (npmRebuild).',
    };
  return {
    command: REBUILD_COMMAND,
    words: `Quit voxlab and run \`${REBUILD_COMMAND}\` in the voxlab folder (\`npm start\` does this by itself), then start it again.`,
  };
}

/** The package a file belongs to: the name after the last node_modules/ (scoped names kept), else the file. */
function moduleOf(file: string): string {
  const parts = file.split(/[\\/]/);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0 || at + 1 >= parts.length) return parts[parts.length - 1] ?? file;
  const first = parts[at + 1]!;
  return first.startsWith('@') && parts[at + 2] !== undefined ? `${first}/${parts[at + 2]}` : first;
}

/** The module a VoxlabError's details name (sqlite.ts: better-sqlite3), else null. */
function declaredModule(err: unknown): string | null {
  const module = (err as { details?: { module?: unknown } } | null)?.details?.module;
  return typeof module === 'string' ? module : null;
}

/** The .node file a load error is about: a VoxlabError's details.binding, or the path in a dlopen error. */
function addonFile(err: unknown): string | null {
  const binding = (err as { details?: { binding?: unknown } } | null)?.details?.binding;
  if (typeof binding === 'string') return binding;
  if ((err as { code?: unknown } | null)?.code !== 'ERR_DLOPEN_FAILED') return null;
  // "Module did not self-register: '<file>'." / "<file>: invalid ELF header" (dlerror) / a bare path.
  const text = messageOf(err);
  const m =
    /'([^']+\.node)'/.exec(text) ?? /^(.+?\.node)(?::|$)/m.exec(text) ?? /([^\s'"]+\.node)\b/.exec(text);
  return m !== null ? m[1]! : null;
}

function* causeChain(e: unknown): Generator<unknown> {
  const seen = new Set<unknown>();
  for (
    let cur = e;
    cur !== undefined && cur !== null && !seen.has(cur);
    cur = (cur as { cause?: unknown }).cause
  ) {
    seen.add(cur);
    yield cur;
    if (typeof cur !== 'object') return;
  }
}
