// The environment of the core's utility process: the parent's, plus the Electron build of better-sqlite3
// when one sits beside the Node build (a checkout started with `npm start`; a package is rebuilt in place).

import { SQLITE_BINDING_ENV } from '../../core/datastore/sqlite.js';
import { electronSqliteBinding, type AbiTarget } from './nativeModules.js';

/**
 * `env` with SQLITE_BINDING_ENV set to the Electron build for `runtime` under `root`, when it exists and
 * fits. Unchanged when the app is packaged (electron-builder's npmRebuild built the package's own addon for
 * Electron), when the variable is already set (the user's choice wins), or when there is no such build
 * (the core then reports in the window which module does not load and how to fix it).
 */
export function coreProcessEnv(
  env: NodeJS.ProcessEnv,
  root: string,
  runtime: AbiTarget,
  packaged: boolean,
): NodeJS.ProcessEnv {
  if (packaged || (env[SQLITE_BINDING_ENV] ?? '') !== '') return env;
  const binding = electronSqliteBinding(root, runtime);
  return binding === null ? env : { ...env, [SQLITE_BINDING_ENV]: binding };
}
